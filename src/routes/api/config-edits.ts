// Configuration edits from a route: applied in the principal's name, and a refused edit turned into
// its problem (404 unknown, 409 conflicting, 400 invalid) naming each field as the request sent it.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Edit, EditProblem } from '../../domain/config-edit.js'
import { productionProblems } from '../../domain/desk-file.js'
import { AppError } from '../../errors.js'
import { type ChangeResult, changeConfiguration } from '../../store/admin-config.js'
import { actorOf } from './principal.js'

export function editProblem({ kind, message, errors }: EditProblem): AppError {
  const fields = errors.map((e) => ({ field: e.path === '(root)' ? 'body' : `body.${e.path}`, message: e.message }))
  const [status, code] =
    kind === 'not_found' ? [404, 'not_found'] : kind === 'conflict' ? [409, 'conflict'] : [400, 'validation_failed']
  // The detail names the fields as the errors do (the edit's own paths are relative to its entity).
  const detail = fields.length > 0 ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : message
  return new AppError(status, code, detail, fields)
}

/** Applies the edit (audited in the principal's name at the app's clock), or throws its problem. */
export async function applyEdit(
  app: FastifyInstance,
  request: FastifyRequest,
  edit: Edit,
): Promise<Extract<ChangeResult, { ok: true }>> {
  const actor = actorOf(request, app.clock())
  // In production the edited file must also pass what production refuses (http:// webhooks).
  const guarded: Edit =
    app.config.env === 'production'
      ? (file) => {
          const edited = edit(file)
          const problems = edited.ok ? productionProblems(edited.file) : []
          if (problems.length === 0) return edited
          return {
            ok: false,
            problem: {
              kind: 'invalid',
              message: problems.map((e) => `${e.path}: ${e.message}`).join('; '),
              errors: problems.map((e) => ({ path: e.path.replace(/^desks\[\d+\]\./, ''), message: e.message })),
            },
          }
        }
      : edit
  const result = await changeConfiguration(app.db, { actor: actor.name, now: actor.now, log: request.log }, guarded)
  if (!result.ok) throw editProblem(result.problem)
  return result
}
