CREATE TABLE grants (
 "Id" varchar(40) NOT NULL CONSTRAINT "PK_grants" PRIMARY KEY,
 "DeveloperId" varchar(40) NOT NULL, "AgentId" varchar(40) NOT NULL, "PrincipalId" varchar(256) NOT NULL,
 "Scopes" text[] NOT NULL, "Audience" varchar(1024), "Status" varchar(16) NOT NULL, "IssuedAt" bigint NOT NULL,
 "ExpiresAt" bigint NOT NULL, "RevokedAt" bigint, "RevokedBy" varchar(64), "ParentGrantId" varchar(40) REFERENCES grants("Id"),
 "RootGrantId" varchar(40) NOT NULL, "DelegationDepth" int NOT NULL, "AuthRequestId" varchar(40), "PresenceCredentialHash" varchar(64),
 "PresenceVerifiedAt" bigint, "PresenceUserVerified" boolean NOT NULL, "IdentityLevel" varchar(16) NOT NULL DEFAULT 'None',
 "IdentityIssuer" varchar(512), "IdentitySubject" varchar(256), "IdentityAt" bigint, "IdentityAmr" varchar(128));
CREATE INDEX "IX_grants_AgentId" ON grants ("AgentId");
CREATE INDEX "IX_grants_DeveloperId_AgentId_IssuedAt" ON grants ("DeveloperId", "AgentId", "IssuedAt");
CREATE INDEX "IX_grants_ParentGrantId" ON grants ("ParentGrantId");
CREATE INDEX "IX_grants_RootGrantId" ON grants ("RootGrantId");
CREATE INDEX "IX_grants_DeveloperId_PrincipalId_IssuedAt_Id" ON grants ("DeveloperId", "PrincipalId", "IssuedAt", "Id");
CREATE INDEX "IX_grants_PrincipalId_IssuedAt_Id" ON grants ("PrincipalId", "IssuedAt", "Id");
CREATE INDEX "IX_grants_DeveloperId_PrincipalId_AgentId" ON grants ("DeveloperId", "PrincipalId", "AgentId");
CREATE INDEX "IX_grants_ExpiresAt" ON grants ("ExpiresAt");
CREATE INDEX "IX_grants_Revoked_ExpiresAt" ON grants ("ExpiresAt", "RevokedAt", "Status") WHERE "Status" = 'Revoked';
CREATE INDEX "IX_grants_DeveloperId_IssuedAt_Id_ExpiresAt" ON grants ("DeveloperId", "IssuedAt", "Id", "ExpiresAt");
CREATE INDEX "IX_grants_IssuedAt_Id_ExpiresAt" ON grants ("IssuedAt", "Id", "ExpiresAt");
-- 15 revoked trees of 10,000 then one active tree of 10,000 (fan-out 10), like the bench database
DO $$
DECLARE t int; base bigint := 1796292049394;
BEGIN
FOR t IN 0..15 LOOP
  INSERT INTO grants SELECT 'grnt_' || lpad(t::text,4,'0') || lpad(i::text, 22, '0'), 'dev_01M8XNDK49BNMVW7KDDT0W2GCK', 'ag_01M8XNDM5FF3E0H7EX5EP23J15', 'user_bench',
    ARRAY['read'], NULL, CASE WHEN t < 15 THEN 'Revoked' ELSE 'Active' END, base + t*100000 + i, base + 86400000 + t*100000,
    CASE WHEN t < 15 THEN base ELSE NULL END, CASE WHEN t < 15 THEN 'api' ELSE NULL END,
    CASE WHEN i = 0 THEN NULL ELSE 'grnt_' || lpad(t::text,4,'0') || lpad(((i-1)/10)::text, 22, '0') END,
    'grnt_' || lpad(t::text,4,'0') || lpad('0', 22, '0'), 0, NULL, NULL, NULL, false, 'None', NULL, NULL, NULL, NULL
  FROM generate_series(0, 9999) AS g(i);
END LOOP;
END $$;
VACUUM ANALYZE grants;
