using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PasskeyEnrolmentPaths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EnrolledVia",
                table: "principal_passkeys",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                // Passkeys enrolled before the path was recorded came through the API or a consent page's first use:
                // neither proves the person, so they count as developer-enrolled (never satisfying "passkey").
                defaultValue: "DeveloperApi");

            migrationBuilder.AddColumn<string>(
                name: "EnrolledVia",
                table: "passkey_ceremonies",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnrolmentLinkId",
                table: "passkey_ceremonies",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresenceEnrolment",
                table: "grants",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresenceEnrolment",
                table: "auth_requests",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "passkey_enrolment_links",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssuedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PasskeyId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passkey_enrolment_links", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_passkey_enrolment_links_DeveloperId_PrincipalId_CreatedAt",
                table: "passkey_enrolment_links",
                columns: new[] { "DeveloperId", "PrincipalId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_passkey_enrolment_links_TokenHash",
                table: "passkey_enrolment_links",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "passkey_enrolment_links");

            migrationBuilder.DropColumn(
                name: "EnrolledVia",
                table: "principal_passkeys");

            migrationBuilder.DropColumn(
                name: "EnrolledVia",
                table: "passkey_ceremonies");

            migrationBuilder.DropColumn(
                name: "EnrolmentLinkId",
                table: "passkey_ceremonies");

            migrationBuilder.DropColumn(
                name: "PresenceEnrolment",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "PresenceEnrolment",
                table: "auth_requests");
        }
    }
}
