using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Audit;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        builder.Property(e => e.Id).HasMaxLength(40);
        builder.Property(e => e.DeveloperId).HasMaxLength(40);
        builder.Property(e => e.AgentId).HasMaxLength(256);
        builder.Property(e => e.AgentDid).HasMaxLength(300);
        builder.Property(e => e.GrantId).HasMaxLength(256);
        builder.Property(e => e.PrincipalId).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(256);
        builder.Property(e => e.MetadataJson).HasMaxLength(65536);
        builder.Property(e => e.PrevHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.Property(e => e.Status).HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.HasIndex(e => e.Id).IsUnique();
        builder.HasIndex(e => new { e.DeveloperId, e.ChainIndex }).IsUnique();
        builder.HasIndex(e => new { e.DeveloperId, e.GrantId, e.Sequence });
        builder.HasIndex(e => new { e.DeveloperId, e.AgentId, e.Sequence });
        // A person's own entries, newest first (the principal-session audit and the "My grants" page).
        builder.HasIndex(e => new { e.DeveloperId, e.PrincipalId, e.Sequence });
        builder.HasIndex(e => new { e.DeveloperId, e.Timestamp });
        // The console's timeline of one chain, newest first.
        builder.HasIndex(e => new { e.DeveloperId, e.Sequence });
    }
}
