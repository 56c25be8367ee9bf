-- Certificate credentials (Entra's recommended kind for daemon apps): the app registration's
-- certificate, PEM, public. When it is set, client_secret holds the certificate's private key
-- (PKCS#8 PEM) encrypted like a secret, and rounds authenticate with a signed client assertion.
alter table graph_sync.tenants add column client_certificate text;
