using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddConsole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_PrincipalId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "DeveloperId", "PrincipalId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_IssuedAt_Id",
                table: "grants",
                columns: new[] { "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_PrincipalId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "PrincipalId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_Sequence",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_grants_DeveloperId_PrincipalId_IssuedAt_Id",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_grants_IssuedAt_Id",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_grants_PrincipalId_IssuedAt_Id",
                table: "grants");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_DeveloperId_Sequence",
                table: "audit_entries");
        }
    }
}
