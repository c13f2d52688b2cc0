using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class GrantScopesAndRevokeIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_DeveloperId_PrincipalId_AgentId_Status",
                table: "grants");

            migrationBuilder.CreateTable(
                name: "grant_scopes",
                columns: table => new
                {
                    GrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Scope = table.Column<string>(type: "text", nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IssuedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grant_scopes", x => new { x.GrantId, x.Scope });
                    table.ForeignKey(
                        name: "FK_grant_scopes_grants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "grants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_PrincipalId_AgentId",
                table: "grants",
                columns: new[] { "DeveloperId", "PrincipalId", "AgentId" });

            migrationBuilder.CreateIndex(
                name: "IX_grant_scopes_DeveloperId_Scope_IssuedAt_GrantId",
                table: "grant_scopes",
                columns: new[] { "DeveloperId", "Scope", "IssuedAt", "GrantId" });

            migrationBuilder.CreateIndex(
                name: "IX_grant_scopes_Scope_IssuedAt_GrantId",
                table: "grant_scopes",
                columns: new[] { "Scope", "IssuedAt", "GrantId" });

            // The database fills the scope index on every grant insert, whoever writes the grant (a grant's scopes
            // never change afterwards; deleting a grant cascades), and the existing grants are indexed once here.
            migrationBuilder.Sql("""
                CREATE FUNCTION grants_fill_grant_scopes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "grant_scopes" ("GrantId", "Scope", "DeveloperId", "IssuedAt")
                    SELECT DISTINCT NEW."Id", s, NEW."DeveloperId", NEW."IssuedAt" FROM unnest(NEW."Scopes") AS s
                    ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END;
                $$;
                CREATE TRIGGER "grants_fill_grant_scopes" AFTER INSERT ON "grants"
                    FOR EACH ROW EXECUTE FUNCTION grants_fill_grant_scopes();
                """);
            migrationBuilder.Sql("""
                INSERT INTO "grant_scopes" ("GrantId", "Scope", "DeveloperId", "IssuedAt")
                SELECT DISTINCT g."Id", s, g."DeveloperId", g."IssuedAt" FROM "grants" AS g, unnest(g."Scopes") AS s
                ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "grants_fill_grant_scopes" ON "grants"; DROP FUNCTION IF EXISTS grants_fill_grant_scopes();""");

            migrationBuilder.DropTable(
                name: "grant_scopes");

            migrationBuilder.DropIndex(
                name: "IX_grants_DeveloperId_PrincipalId_AgentId",
                table: "grants");

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_PrincipalId_AgentId_Status",
                table: "grants",
                columns: new[] { "DeveloperId", "PrincipalId", "AgentId", "Status" });
        }
    }
}
