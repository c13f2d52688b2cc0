using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GrantListExpiryInIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_DeveloperId_IssuedAt_Id",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_grants_IssuedAt_Id",
                table: "grants");

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_IssuedAt_Id_ExpiresAt",
                table: "grants",
                columns: new[] { "DeveloperId", "IssuedAt", "Id", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_IssuedAt_Id_ExpiresAt",
                table: "grants",
                columns: new[] { "IssuedAt", "Id", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_DeveloperId_IssuedAt_Id_ExpiresAt",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_grants_IssuedAt_Id_ExpiresAt",
                table: "grants");

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "DeveloperId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_IssuedAt_Id",
                table: "grants",
                columns: new[] { "IssuedAt", "Id" });
        }
    }
}
