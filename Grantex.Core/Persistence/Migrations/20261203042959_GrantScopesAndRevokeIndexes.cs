using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
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
                    GrantId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                CREATE TRIGGER "grants_fill_grant_scopes" AFTER INSERT ON "grants"
                BEGIN
                    INSERT OR IGNORE INTO "grant_scopes" ("GrantId", "Scope", "DeveloperId", "IssuedAt")
                    SELECT NEW."Id", "value", NEW."DeveloperId", NEW."IssuedAt" FROM json_each(NEW."Scopes");
                END;
                """);
            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO "grant_scopes" ("GrantId", "Scope", "DeveloperId", "IssuedAt")
                SELECT g."Id", j."value", g."DeveloperId", g."IssuedAt" FROM "grants" AS g, json_each(g."Scopes") AS j;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"grants_fill_grant_scopes\";");

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
