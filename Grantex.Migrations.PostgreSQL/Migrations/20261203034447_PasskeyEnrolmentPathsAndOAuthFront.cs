using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class PasskeyEnrolmentPathsAndOAuthFront : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EnrolledVia",
                table: "principal_passkeys",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "EnrolledVia",
                table: "passkey_ceremonies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EnrolmentLinkId",
                table: "passkey_ceremonies",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresenceEnrolment",
                table: "grants",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresenceEnrolment",
                table: "auth_requests",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "oauth_clients",
                columns: table => new
                {
                    ClientId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TokenEndpointAuthMethod = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RegistrationTokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RegistrationTokenExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    GrantTypes = table.Column<List<string>>(type: "text[]", nullable: false),
                    ClientUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    LogoUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    Scope = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    SoftwareId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    SoftwareVersion = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ApplicationType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RegisteredWith = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_clients", x => x.ClientId);
                    table.ForeignKey(
                        name: "FK_oauth_clients_agents_ClientId",
                        column: x => x.ClientId,
                        principalTable: "agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "oauth_registration_tokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    MaxUses = table.Column<int>(type: "integer", nullable: false),
                    Uses = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_registration_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_oauth_registration_tokens_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "oauth_resources",
                columns: table => new
                {
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Uri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_resources", x => new { x.DeveloperId, x.Uri });
                    table.ForeignKey(
                        name: "FK_oauth_resources_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "passkey_enrolment_links",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssuedBy = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    UsedAt = table.Column<long>(type: "bigint", nullable: true),
                    PasskeyId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passkey_enrolment_links", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_oauth_clients_DeveloperId",
                table: "oauth_clients",
                column: "DeveloperId");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_registration_tokens_DeveloperId",
                table: "oauth_registration_tokens",
                column: "DeveloperId");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_registration_tokens_TokenHash",
                table: "oauth_registration_tokens",
                column: "TokenHash",
                unique: true);

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
                name: "oauth_clients");

            migrationBuilder.DropTable(
                name: "oauth_registration_tokens");

            migrationBuilder.DropTable(
                name: "oauth_resources");

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
