using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Grantex.Migrations.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ChainIndex = table.Column<long>(type: "bigint", nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AgentDid = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    GrantId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    MetadataJson = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: false),
                    Timestamp = table.Column<long>(type: "bigint", nullable: false),
                    PrevHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "developers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    Mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PresenceRequirement = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FidoRpName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PrincipalAuthentication = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_developers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "passkey_ceremonies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PrincipalKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AuthRequestId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    SessionHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    State = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_passkey_ceremonies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ProtectedPrivateKey = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    Modulus = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    Exponent = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    RotatedAt = table.Column<long>(type: "bigint", nullable: true),
                    RetiredAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sso_connections",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Protocol = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IssuerUrl = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    ClientId = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    ClientSecretProtected = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    Domains = table.Column<List<string>>(type: "text[]", nullable: false),
                    PrincipalClaim = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    IsLegacyConfig = table.Column<bool>(type: "boolean", nullable: false),
                    RedirectUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sso_connections", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_fanout_cursor",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_fanout_cursor", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserPasskeys",
                columns: table => new
                {
                    CredentialId = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Data = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserPasskeys", x => x.CredentialId);
                    table.ForeignKey(
                        name: "FK_AspNetUserPasskeys_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    RedirectUris = table.Column<List<string>>(type: "text[]", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_agents_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "anomalies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    AgentId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Description = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    MetadataJson = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    GrantIds = table.Column<List<string>>(type: "text[]", nullable: false),
                    DedupKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DetectedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "bigint", nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    KeyHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_api_keys_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    HeadHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HeadEntryId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    HeadTimestamp = table.Column<long>(type: "bigint", nullable: false),
                    EntryCount = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Jws = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    Kid = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
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

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.Seq);
                    table.ForeignKey(
                        name: "FK_events_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "passkey_principals",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
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
                name: "policies",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Effect = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    AgentId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Scopes = table.Column<List<string>>(type: "text[]", nullable: true),
                    TimeOfDayStart = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    TimeOfDayEnd = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_policies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_policies_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "scim_tokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TokenHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastUsedAt = table.Column<long>(type: "bigint", nullable: true),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scim_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scim_tokens_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "scim_users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    GivenName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    FamilyName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailsJson = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeletedAt = table.Column<long>(type: "bigint", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scim_users", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scim_users_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Events = table.Column<List<string>>(type: "text[]", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    ProtectedPreviousSecret = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    PreviousSecretUntil = table.Column<long>(type: "bigint", nullable: true),
                    StartSeq = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    SecretRotatedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhooks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_webhooks_developers_DeveloperId",
                        column: x => x.DeveloperId,
                        principalTable: "developers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "auth_requests",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    RedirectUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    State = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Audience = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    GrantLifetimeSeconds = table.Column<long>(type: "bigint", nullable: false),
                    CodeChallenge = table.Column<string>(type: "character varying(43)", maxLength: 43, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CodeExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    GrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PresenceCredentialId = table.Column<string>(type: "character varying(1400)", maxLength: 1400, nullable: true),
                    PresenceVerifiedAt = table.Column<long>(type: "bigint", nullable: true),
                    PresenceUserVerified = table.Column<bool>(type: "boolean", nullable: false),
                    IdentityLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IdentityIssuer = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    IdentitySubject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    IdentityAt = table.Column<long>(type: "bigint", nullable: true),
                    IdentityAmr = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auth_requests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_auth_requests_agents_AgentId",
                        column: x => x.AgentId,
                        principalTable: "agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "grants",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AgentId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    Audience = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ParentGrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RootGrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DelegationDepth = table.Column<int>(type: "integer", nullable: false),
                    AuthRequestId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    PresenceCredentialHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PresenceVerifiedAt = table.Column<long>(type: "bigint", nullable: true),
                    PresenceUserVerified = table.Column<bool>(type: "boolean", nullable: false),
                    IdentityLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    IdentityIssuer = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    IdentitySubject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    IdentityAt = table.Column<long>(type: "bigint", nullable: true),
                    IdentityAmr = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_grants_agents_AgentId",
                        column: x => x.AgentId,
                        principalTable: "agents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_grants_grants_ParentGrantId",
                        column: x => x.ParentGrantId,
                        principalTable: "grants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "principal_passkeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PrincipalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CredentialId = table.Column<string>(type: "character varying(1400)", maxLength: 1400, nullable: false),
                    PublicKey = table.Column<byte[]>(type: "bytea", maxLength: 2048, nullable: false),
                    SignCount = table.Column<long>(type: "bigint", nullable: false),
                    Transports = table.Column<List<string>>(type: "text[]", nullable: false),
                    IsUserVerified = table.Column<bool>(type: "boolean", nullable: false),
                    IsBackupEligible = table.Column<bool>(type: "boolean", nullable: false),
                    IsBackedUp = table.Column<bool>(type: "boolean", nullable: false),
                    AttestationObject = table.Column<byte[]>(type: "bytea", maxLength: 16384, nullable: true),
                    ClientDataJson = table.Column<byte[]>(type: "bytea", maxLength: 4096, nullable: true),
                    DeviceName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastUsedAt = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WebhookId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EventId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    EventSeq = table.Column<long>(type: "bigint", nullable: false),
                    EventType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    MaxAttempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeliveredAt = table.Column<long>(type: "bigint", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LeaseUntil = table.Column<long>(type: "bigint", nullable: true),
                    RedeliveryOf = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_webhook_deliveries_webhooks_WebhookId",
                        column: x => x.WebhookId,
                        principalTable: "webhooks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "grant_tokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    GrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kid = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IssuedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grant_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_grant_tokens_grants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "grants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    GrantId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DeveloperId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    UsedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_tokens", x => x.TokenHash);
                    table.ForeignKey(
                        name: "FK_refresh_tokens_grants_GrantId",
                        column: x => x.GrantId,
                        principalTable: "grants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "webhook_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeliveryId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    HttpStatus = table.Column<int>(type: "integer", nullable: true),
                    LatencyMs = table.Column<int>(type: "integer", nullable: false),
                    Error = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    ResponseBody = table.Column<string>(type: "character varying(65536)", maxLength: 65536, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_attempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_webhook_attempts_webhook_deliveries_DeliveryId",
                        column: x => x.DeliveryId,
                        principalTable: "webhook_deliveries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agents_DeveloperId_CreatedAt_Id",
                table: "agents",
                columns: new[] { "DeveloperId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_anomalies_DeveloperId_DedupKey",
                table: "anomalies",
                columns: new[] { "DeveloperId", "DedupKey" });

            migrationBuilder.CreateIndex(
                name: "IX_anomalies_DeveloperId_DetectedAt_Id",
                table: "anomalies",
                columns: new[] { "DeveloperId", "DetectedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_DeveloperId",
                table: "api_keys",
                column: "DeveloperId");

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_KeyHash",
                table: "api_keys",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserPasskeys_UserId",
                table: "AspNetUserPasskeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_DeveloperId_CreatedAt_Id",
                table: "audit_checkpoints",
                columns: new[] { "DeveloperId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_DeveloperId_EntryCount",
                table: "audit_checkpoints",
                columns: new[] { "DeveloperId", "EntryCount" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_AgentId_Sequence",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "AgentId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_ChainIndex",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "ChainIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_GrantId_Sequence",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "GrantId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_PrincipalId_Sequence",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "PrincipalId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_Sequence",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_DeveloperId_Timestamp",
                table: "audit_entries",
                columns: new[] { "DeveloperId", "Timestamp" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Id",
                table: "audit_entries",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_auth_requests_AgentId",
                table: "auth_requests",
                column: "AgentId");

            migrationBuilder.CreateIndex(
                name: "IX_auth_requests_CodeHash",
                table: "auth_requests",
                column: "CodeHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_auth_requests_DeveloperId_CreatedAt",
                table: "auth_requests",
                columns: new[] { "DeveloperId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_developers_Email",
                table: "developers",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_events_DeveloperId_Seq",
                table: "events",
                columns: new[] { "DeveloperId", "Seq" });

            migrationBuilder.CreateIndex(
                name: "IX_events_Id",
                table: "events",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_grant_tokens_GrantId",
                table: "grant_tokens",
                column: "GrantId");

            migrationBuilder.CreateIndex(
                name: "IX_grant_tokens_Kid_ExpiresAt",
                table: "grant_tokens",
                columns: new[] { "Kid", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_grant_tokens_RevokedAt",
                table: "grant_tokens",
                column: "RevokedAt");

            migrationBuilder.CreateIndex(
                name: "IX_grants_AgentId",
                table: "grants",
                column: "AgentId");

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_AgentId_IssuedAt",
                table: "grants",
                columns: new[] { "DeveloperId", "AgentId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "DeveloperId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_PrincipalId_AgentId_Status",
                table: "grants",
                columns: new[] { "DeveloperId", "PrincipalId", "AgentId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_DeveloperId_PrincipalId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "DeveloperId", "PrincipalId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_IssuedAt_Id",
                table: "grants",
                columns: new[] { "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_ParentGrantId",
                table: "grants",
                column: "ParentGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_grants_PrincipalId_IssuedAt_Id",
                table: "grants",
                columns: new[] { "PrincipalId", "IssuedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_grants_RootGrantId",
                table: "grants",
                column: "RootGrantId");

            migrationBuilder.CreateIndex(
                name: "IX_grants_Status_ExpiresAt",
                table: "grants",
                columns: new[] { "Status", "ExpiresAt" });

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
                name: "IX_policies_DeveloperId_Priority_CreatedAt",
                table: "policies",
                columns: new[] { "DeveloperId", "Priority", "CreatedAt" });

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

            migrationBuilder.CreateIndex(
                name: "IX_refresh_tokens_GrantId",
                table: "refresh_tokens",
                column: "GrantId");

            migrationBuilder.CreateIndex(
                name: "IX_scim_tokens_DeveloperId_CreatedAt",
                table: "scim_tokens",
                columns: new[] { "DeveloperId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_scim_tokens_TokenHash",
                table: "scim_tokens",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_scim_users_DeveloperId_CreatedAt_Id",
                table: "scim_users",
                columns: new[] { "DeveloperId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_scim_users_DeveloperId_ExternalId",
                table: "scim_users",
                columns: new[] { "DeveloperId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_scim_users_DeveloperId_NormalizedUserName",
                table: "scim_users",
                columns: new[] { "DeveloperId", "NormalizedUserName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sso_connections_DeveloperId_CreatedAt",
                table: "sso_connections",
                columns: new[] { "DeveloperId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_attempts_DeliveryId_Number",
                table: "webhook_attempts",
                columns: new[] { "DeliveryId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_Status_NextAttemptAt",
                table: "webhook_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_deliveries_WebhookId_CreatedAt",
                table: "webhook_deliveries",
                columns: new[] { "WebhookId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_webhooks_DeveloperId_CreatedAt",
                table: "webhooks",
                columns: new[] { "DeveloperId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "anomalies");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserPasskeys");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "audit_entries");

            migrationBuilder.DropTable(
                name: "auth_requests");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "grant_tokens");

            migrationBuilder.DropTable(
                name: "passkey_ceremonies");

            migrationBuilder.DropTable(
                name: "policies");

            migrationBuilder.DropTable(
                name: "principal_passkeys");

            migrationBuilder.DropTable(
                name: "refresh_tokens");

            migrationBuilder.DropTable(
                name: "scim_tokens");

            migrationBuilder.DropTable(
                name: "scim_users");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "sso_connections");

            migrationBuilder.DropTable(
                name: "webhook_attempts");

            migrationBuilder.DropTable(
                name: "webhook_fanout_cursor");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "passkey_principals");

            migrationBuilder.DropTable(
                name: "grants");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "agents");

            migrationBuilder.DropTable(
                name: "webhooks");

            migrationBuilder.DropTable(
                name: "developers");
        }
    }
}
