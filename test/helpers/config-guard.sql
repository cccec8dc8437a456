-- Test databases only: a transaction that writes a table of the configuration must also bump
-- config_version (touchConfiguration), or it fails at commit. CallFactsLoader keeps the
-- configuration in memory and reloads it only when the version moves: a write without a bump
-- would leave every instance deciding calls on stale contracts. Agents' on-duty switch is read live
-- on every call and needs no bump.
create function test_config_bumped() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from config_version where id = 1 and xmin = pg_current_xact_id()::xid) then
    raise exception 'the configuration table % was written without bumping config_version in the same transaction (touchConfiguration)', tg_table_name;
  end if;
  return null;
end $$;

create constraint trigger config_bumped after insert or update or delete on desks deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on desk_numbers deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or delete on agents deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped_update after update on agents deferrable initially deferred for each row
  when ((to_jsonb(old) - 'on_duty' - 'updated_at') is distinct from (to_jsonb(new) - 'on_duty' - 'updated_at'))
  execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on agent_desks deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on clients deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on client_numbers deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on contracts deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on holiday_overrides deferrable initially deferred for each row execute function test_config_bumped();
create constraint trigger config_bumped after insert or update or delete on calendar_entries deferrable initially deferred for each row execute function test_config_bumped();
