-- A user's enterprise manager is stored as its id only: $ref and displayName are computed by the
-- server on every answer (issue 14, point 6). Rows written before keep whatever a client sent
-- there (a javascript: URI was seen); drop it, and a manager without a string id.
update users
   set resource = case
         when jsonb_typeof(resource -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' -> 'manager' -> 'value') = 'string'
           then jsonb_set(resource,
                          '{urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,manager}',
                          jsonb_build_object('value',
                            resource -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' -> 'manager' -> 'value'))
         else resource #- '{urn:ietf:params:scim:schemas:extension:enterprise:2.0:User,manager}'
       end
 where resource -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' ? 'manager';
