-- Passwords (docs/adr/0007-passwords.md). The SCIM password is never stored in plaintext: a tenant
-- whose policy is 'hash' gets the gateway's Argon2id hash in a column of its own, outside the
-- resource document that reads render; every other tenant gets nothing stored.
alter table users add column password_hash text;

-- Earlier versions stored the password as sent: in the user's resource, in the resource snapshot of
-- each stored outcome, and possibly in stored events. Remove every key named password (any case,
-- any depth) from them.
create function strip_password(doc jsonb) returns jsonb language plpgsql immutable as $$
begin
  if jsonb_typeof(doc) = 'object' then
    return coalesce(
      (select jsonb_object_agg(e.key, strip_password(e.value))
         from jsonb_each(doc) as e
        where lower(e.key) <> 'password'),
      '{}'::jsonb);
  elsif jsonb_typeof(doc) = 'array' then
    return coalesce(
      (select jsonb_agg(strip_password(a.value) order by a.ordinality)
         from jsonb_array_elements(doc) with ordinality as a),
      '[]'::jsonb);
  end if;
  return doc;
end
$$;

update users
   set resource = strip_password(resource)
 where lower(resource::text) like '%"password"%';

update processed_commands
   set outcome = strip_password(outcome),
       events = strip_password(events)
 where lower(outcome::text) like '%"password"%'
    or lower(events::text) like '%"password"%';

drop function strip_password(jsonb);
