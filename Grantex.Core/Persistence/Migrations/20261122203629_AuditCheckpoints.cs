using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AuditCheckpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HeadEntryId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    HeadTimestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryCount = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Jws = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Kid = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_audit_checkpoints_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_DeveloperId_CreatedAt_Id",
                table: "audit_checkpoints",
                columns: new[] { "DeveloperId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_DeveloperId_EntryCount",
                table: "audit_checkpoints",
                columns: new[] { "DeveloperId", "EntryCount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_checkpoints");
        }
    }
}
