// supportline dashboard niceties; every page works without this script.
// 1. A form with data-confirm asks before it is sent.
// 2. A page with data-refresh reloads itself every N seconds, unless someone is using a field.

document.addEventListener('submit', (event) => {
  const form = event.target
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault()
  }
})

const refresh = Number(document.body.dataset.refresh)
if (refresh > 0) {
  let typed = false
  document.addEventListener('input', () => {
    typed = true
  })
  setInterval(() => {
    const active = document.activeElement
    const busy =
      typed || (active && ['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName)) || document.querySelector('details[open]')
    if (!busy && document.visibilityState === 'visible') window.location.reload()
  }, refresh * 1000)
}
