using Grantex.Core.Agents;
using Grantex.Core.Anomalies;
using Grantex.Core.Audit;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Keys;
using Grantex.Core.Policies;
using Grantex.Core.Tokens;
using Grantex.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Persistence;

public sealed class GrantexDbContext(DbContextOptions<GrantexDbContext> options) : IdentityDbContext<GrantexUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring when it is kept in the database (several nodes; see <c>KeyRingProtection</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Developer> Developers => Set<Developer>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<AuthRequest> AuthRequests => Set<AuthRequest>();

    public DbSet<Grant> Grants => Set<Grant>();

    public DbSet<IssuedToken> IssuedTokens => Set<IssuedToken>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<Policy> Policies => Set<Policy>();

    public DbSet<GrantexEvent> Events => Set<GrantexEvent>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<WebhookFanoutCursor> WebhookFanoutCursors => Set<WebhookFanoutCursor>();
    public DbSet<Anomaly> Anomalies => Set<Anomaly>();
    public DbSet<Principals.ScimToken> ScimTokens => Set<Principals.ScimToken>();

    public DbSet<Principals.ScimUser> ScimUsers => Set<Principals.ScimUser>();

    public DbSet<OAuth.OAuthClient> OAuthClients => Set<OAuth.OAuthClient>();

    public DbSet<OAuth.OAuthRegistrationToken> OAuthRegistrationTokens => Set<OAuth.OAuthRegistrationToken>();

    public DbSet<OAuth.OAuthResource> OAuthResources => Set<OAuth.OAuthResource>();

    // 0 = not asked yet, 1 = SQLite, 2 = PostgreSQL. A context's provider never changes (a pooled instance keeps its options).
    private int _engine;

    /// <summary>
    /// Whether this context talks to PostgreSQL, asked of EF once per context instance: <c>Database.IsNpgsql()</c> resolves
    /// the provider through the context's services on every call, which cost more than a compiled query's own lookup
    /// when every hot query asked it (<see cref="PerEngine{T}"/>).
    /// </summary>
    public bool IsPostgres
    {
        get
        {
            if (_engine == 0)
            {
                _engine = Database.IsNpgsql() ? 2 : 1;
            }

            return _engine == 2;
        }
    }

    /// <summary>The locks of the writer's transaction while this context is the writer's (null otherwise).</summary>
    internal WriterLocks? WriterLocks { get; set; }

    /// <summary>The writer's command context while this context is the writer's (null otherwise).</summary>
    internal WriteContext? Writer { get; set; }

    /// <summary>
    /// In the writer, events a command emitted are written first (they are not tracked, see <see cref="WriteContext.Emit"/>),
    /// so a command that saves part-way — to learn an event's sequence number, say — finds them stored.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Writer is { } writer)
        {
            await writer.FlushAsync();
        }

        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) => Writer is { HasPendingEvents: true }
        ? throw new InvalidOperationException("The writer saves asynchronously (SaveChangesAsync writes the command's events first).")
        : base.SaveChanges(acceptAllChangesOnSuccess);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        // The Identity schema version (3: with the passkey table) comes from IdentityOptions, registered in
        // AddGrantexCore; always create this context through DI so every process builds the same model.
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(GrantexDbContext).Assembly);
        GrantConfiguration.ConfigureEngine(builder, Database.IsNpgsql());
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcMillisecondsConverter>();
    }
}
