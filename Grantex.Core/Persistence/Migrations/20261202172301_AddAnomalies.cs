using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Grantex.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AddAnomalies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "anomalies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PrincipalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    MetadataJson = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    GrantIds = table.Column<string>(type: "TEXT", nullable: false),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_anomalies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_anomalies_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_anomalies_DeveloperId_DedupKey",
                table: "anomalies",
                columns: new[] { "DeveloperId", "DedupKey" });

            migrationBuilder.CreateIndex(
                name: "IX_anomalies_DeveloperId_DetectedAt_Id",
                table: "anomalies",
                columns: new[] { "DeveloperId", "DetectedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "anomalies");
        }
    }
}
