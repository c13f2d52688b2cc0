using Grantex.Core.Agents;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Grants;

internal sealed class GrantConfiguration : IEntityTypeConfiguration<Grant>
{
    /// <summary>The partial index's predicate: the same SQL on SQLite and PostgreSQL, and the same literal EF writes for <c>Status == Revoked</c>.</summary>
    internal const string RevokedFilter = "\"Status\" = 'Revoked'";

    public void Configure(EntityTypeBuilder<Grant> builder)
    {
        builder.ToTable("grants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).HasMaxLength(40);
        builder.Property(g => g.DeveloperId).HasMaxLength(40);
        builder.Property(g => g.AgentId).HasMaxLength(40);
        builder.Property(g => g.PrincipalId).HasMaxLength(256);
        builder.Property(g => g.Audience).HasMaxLength(1024);
        builder.Property(g => g.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.RevokedBy).HasMaxLength(64);
        builder.Property(g => g.ParentGrantId).HasMaxLength(40);
        builder.Property(g => g.RootGrantId).HasMaxLength(40);
        builder.Property(g => g.AuthRequestId).HasMaxLength(40);
        builder.Property(g => g.PresenceCredentialHash).HasMaxLength(64);
        builder.Property(g => g.PresenceEnrolment).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.IdentityLevel).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.IdentityIssuer).HasMaxLength(512);
        builder.Property(g => g.IdentitySubject).HasMaxLength(256);
        builder.Property(g => g.IdentityAmr).HasMaxLength(128);

        // Lists are newest first per developer (keyset on IssuedAt, Id), filtered by agent / principal / status. The
        // newest-first indexes also carry ExpiresAt (never changed after insert, so revoking does not touch them): the
        // "expired" filter is then checked on the index entry and skips the newer, unexpired grants without reading
        // them (1,000,000 grants: 92-145 ms -> 2-6 ms for the first page of expired grants).
        builder.HasIndex(g => new { g.DeveloperId, g.IssuedAt, g.Id, g.ExpiresAt });
        builder.HasIndex(g => new { g.DeveloperId, g.AgentId, g.IssuedAt });
        builder.HasIndex(g => new { g.DeveloperId, g.PrincipalId, g.AgentId });
        // The console lists every developer's grants newest first, and a principal's grants within one developer or
        // across developers; each index covers the filter and the (IssuedAt, Id) order, so a page never needs a sort.
        builder.HasIndex(g => new { g.IssuedAt, g.Id, g.ExpiresAt });
        builder.HasIndex(g => new { g.PrincipalId, g.IssuedAt, g.Id });
        builder.HasIndex(g => new { g.DeveloperId, g.PrincipalId, g.IssuedAt, g.Id });
        builder.HasIndex(g => g.ParentGrantId);
        builder.HasIndex(g => g.RootGrantId);
        // Revoking a tree must not rewrite an index entry per grant: no index holds Status for every grant. Revoked
        // grants (the revocation index's load, the "revoked today" count) are indexed per engine (ConfigureEngine);
        // the plain ExpiresAt index, which a revocation never touches, counts unexpired grants (active = unexpired -
        // unexpired revoked). With (Status, ExpiresAt) every cascade deleted and re-inserted one entry
        // per grant, and SQLite planned the cascade UPDATE on that index (every active grant) instead of the root's.
        builder.HasIndex(g => g.ExpiresAt);
        builder.HasOne<Agent>().WithMany().HasForeignKey(g => g.AgentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Grant>().WithMany().HasForeignKey(g => g.ParentGrantId).OnDelete(DeleteBehavior.Restrict);

        // The tokens and refresh tokens minted for a grant (Tokens knows nothing of grants; the link is declared here).
        builder.HasMany<IssuedToken>().WithOne().HasForeignKey(t => t.GrantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany<RefreshToken>().WithOne().HasForeignKey(t => t.GrantId).OnDelete(DeleteBehavior.Restrict);
    }

    /// <summary>
    /// Where the revoked grants are indexed differs per engine, because the engines pay differently for an index that
    /// names a column a revocation changes (ADR 0002). SQLite rewrites only such indexes: a partial index on revoked
    /// grants, which a revocation only inserts into. PostgreSQL writes a new row version and, unless the update is HOT,
    /// an entry in every index; an index naming <c>Status</c> (even in its predicate) rules HOT out, and a tree created
    /// together fills its pages, so there the revoked grants go to <see cref="GrantRevocation"/> rows written by the
    /// cascade's statement, and the grants table leaves half of each page free for the new versions.
    /// </summary>
    public static void ConfigureEngine(ModelBuilder builder, bool postgres)
    {
        if (!postgres)
        {
            builder.Entity<Grant>().HasIndex(g => new { g.ExpiresAt, g.RevokedAt, g.Status }, "IX_grants_Revoked_ExpiresAt").HasFilter(RevokedFilter);
            return;
        }

        builder.Entity<Grant>().HasStorageParameter("fillfactor", 50);
        var revocations = builder.Entity<GrantRevocation>();
        revocations.ToTable("grant_revocations");
        revocations.HasKey(r => r.GrantId);
        revocations.Property(r => r.GrantId).HasMaxLength(40);
        revocations.Property(r => r.DeveloperId).HasMaxLength(40);
        // The start-up load and the unexpired-revoked count; "revoked today", across developers or for one.
        revocations.HasIndex(r => r.ExpiresAt);
        revocations.HasIndex(r => new { r.RevokedAt, r.DeveloperId });
    }
}
