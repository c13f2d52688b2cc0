using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class GrantRevocationsPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "grant_revocations",
                columns: table => new
                {
                    GrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grant_revocations", x => x.GrantId);
                });

            // Every grant revoked before this migration: from here on the cascade's statement writes these rows, and the
            // revocation index loads from them at start, so a grant missing here would verify again after a restart.
            migrationBuilder.Sql("""
                INSERT INTO grant_revocations ("GrantId", "DeveloperId", "ExpiresAt", "RevokedAt")
                SELECT "Id", "DeveloperId", "ExpiresAt", coalesce("RevokedAt", "IssuedAt") FROM grants WHERE "Status" = 'Revoked'
                """);

            migrationBuilder.CreateIndex(
                name: "IX_grant_revocations_ExpiresAt",
                table: "grant_revocations",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_grant_revocations_RevokedAt_DeveloperId",
                table: "grant_revocations",
                columns: new[] { "RevokedAt", "DeveloperId" });

            // Now no index on grants names a column a revocation changes, so its row versions can be HOT updates; half
            // of each page stays free for them (applies to pages written from now on; VACUUM FULL rewrites old ones).
            migrationBuilder.DropIndex(
                name: "IX_grants_Revoked_ExpiresAt",
                table: "grants");

            migrationBuilder.AlterTable(
                name: "grants")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "grant_revocations");

            migrationBuilder.AlterTable(
                name: "grants")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);

            migrationBuilder.CreateIndex(
                name: "IX_grants_Revoked_ExpiresAt",
                table: "grants",
                columns: new[] { "ExpiresAt", "RevokedAt", "Status" },
                filter: "\"Status\" = 'Revoked'");
        }
    }
}
