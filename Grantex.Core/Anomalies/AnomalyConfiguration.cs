using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Anomalies;

internal sealed class AnomalyConfiguration : IEntityTypeConfiguration<Anomaly>
{
    public void Configure(EntityTypeBuilder<Anomaly> builder)
    {
        builder.ToTable("anomalies");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(40).IsRequired();
        builder.Property(a => a.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(a => a.Type).HasMaxLength(32).IsRequired();
        builder.Property(a => a.Severity).HasMaxLength(8).IsRequired();
        builder.Property(a => a.AgentId).HasMaxLength(256);
        builder.Property(a => a.PrincipalId).HasMaxLength(256);
        builder.Property(a => a.Description).HasMaxLength(1024).IsRequired();
        builder.Property(a => a.MetadataJson).HasMaxLength(8192).IsRequired();
        builder.Property(a => a.GrantIds).IsRequired();
        builder.Property(a => a.DedupKey).HasMaxLength(64).IsRequired();
        builder.Property(a => a.AcknowledgedBy).HasMaxLength(256);
        builder.Property(a => a.Notes).HasMaxLength(AnomalyRules.MaxNotesLength);
        builder.Ignore(a => a.IsOpen);

        // Lists are newest first per developer (keyset on DetectedAt, Id); each detection pass looks its findings up by key.
        builder.HasIndex(a => new { a.DeveloperId, a.DetectedAt, a.Id });
        builder.HasIndex(a => new { a.DeveloperId, a.DedupKey });
        builder.HasOne<Developer>().WithMany().HasForeignKey(a => a.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
