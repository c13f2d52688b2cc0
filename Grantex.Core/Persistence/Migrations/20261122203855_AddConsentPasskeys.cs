using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddConsentPasskeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "passkey_ceremonies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PrincipalKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AuthRequestId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SessionHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passkey_ceremonies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "passkey_principals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passkey_principals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_passkey_principals_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "principal_passkeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PrincipalKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CredentialId = table.Column<string>(type: "TEXT", maxLength: 1400, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", maxLength: 2048, nullable: false),
                    SignCount = table.Column<long>(type: "INTEGER", nullable: false),
                    Transports = table.Column<string>(type: "TEXT", nullable: false),
                    IsUserVerified = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsBackupEligible = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsBackedUp = table.Column<bool>(type: "INTEGER", nullable: false),
                    AttestationObject = table.Column<byte[]>(type: "BLOB", maxLength: 16384, nullable: true),
                    ClientDataJson = table.Column<byte[]>(type: "BLOB", maxLength: 4096, nullable: true),
                    DeviceName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_principal_passkeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_principal_passkeys_passkey_principals_PrincipalKey",
                        column: x => x.PrincipalKey,
                        principalTable: "passkey_principals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_passkey_ceremonies_ExpiresAt",
                table: "passkey_ceremonies",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_passkey_principals_DeveloperId_PrincipalId",
                table: "passkey_principals",
                columns: new[] { "DeveloperId", "PrincipalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_principal_passkeys_CredentialId",
                table: "principal_passkeys",
                column: "CredentialId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_principal_passkeys_DeveloperId_PrincipalId",
                table: "principal_passkeys",
                columns: new[] { "DeveloperId", "PrincipalId" });

            migrationBuilder.CreateIndex(
                name: "IX_principal_passkeys_PrincipalKey",
                table: "principal_passkeys",
                column: "PrincipalKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "passkey_ceremonies");

            migrationBuilder.DropTable(
                name: "principal_passkeys");

            migrationBuilder.DropTable(
                name: "passkey_principals");
        }
    }
}
