using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddPrincipalIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdentityAmr",
                table: "grants",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IdentityAt",
                table: "grants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentityIssuer",
                table: "grants",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentityLevel",
                table: "grants",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "IdentitySubject",
                table: "grants",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PrincipalAuthentication",
                table: "developers",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "IdentityAmr",
                table: "auth_requests",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "IdentityAt",
                table: "auth_requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentityIssuer",
                table: "auth_requests",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentityLevel",
                table: "auth_requests",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<string>(
                name: "IdentitySubject",
                table: "auth_requests",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sso_connections",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Protocol = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IssuerUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    ClientSecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Domains = table.Column<string>(type: "TEXT", nullable: false),
                    PrincipalClaim = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsLegacyConfig = table.Column<bool>(type: "INTEGER", nullable: false),
                    RedirectUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sso_connections", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_sso_connections_DeveloperId_CreatedAt",
                table: "sso_connections",
                columns: new[] { "DeveloperId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sso_connections");

            migrationBuilder.DropColumn(
                name: "IdentityAmr",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "IdentityAt",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "IdentityIssuer",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "IdentityLevel",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "IdentitySubject",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "PrincipalAuthentication",
                table: "developers");

            migrationBuilder.DropColumn(
                name: "IdentityAmr",
                table: "auth_requests");

            migrationBuilder.DropColumn(
                name: "IdentityAt",
                table: "auth_requests");

            migrationBuilder.DropColumn(
                name: "IdentityIssuer",
                table: "auth_requests");

            migrationBuilder.DropColumn(
                name: "IdentityLevel",
                table: "auth_requests");

            migrationBuilder.DropColumn(
                name: "IdentitySubject",
                table: "auth_requests");
        }
    }
}
