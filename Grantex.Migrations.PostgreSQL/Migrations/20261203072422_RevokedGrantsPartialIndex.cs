using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class RevokedGrantsPartialIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_Status_ExpiresAt",
                table: "grants");

            migrationBuilder.CreateIndex(
                name: "IX_grants_ExpiresAt",
                table: "grants",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_grants_Revoked_ExpiresAt",
                table: "grants",
                columns: new[] { "ExpiresAt", "RevokedAt", "Status" },
                filter: "\"Status\" = 'Revoked'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_ExpiresAt",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_grants_Revoked_ExpiresAt",
                table: "grants");

            migrationBuilder.CreateIndex(
                name: "IX_grants_Status_ExpiresAt",
                table: "grants",
                columns: new[] { "Status", "ExpiresAt" });
        }
    }
}
