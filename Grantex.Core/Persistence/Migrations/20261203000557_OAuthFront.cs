using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OAuthFront : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "oauth_clients",
                columns: table => new
                {
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TokenEndpointAuthMethod = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RegistrationTokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RegistrationTokenExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GrantTypes = table.Column<string>(type: "TEXT", nullable: false),
                    ClientUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    LogoUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    SoftwareId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SoftwareVersion = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ApplicationType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    RegisteredWith = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxUses = table.Column<int>(type: "INTEGER", nullable: false),
                    Uses = table.Column<int>(type: "INTEGER", nullable: false)
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
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Uri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
        }
    }
}
