using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Compliance;

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("audit_checkpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.DeveloperId).HasMaxLength(40);
        builder.Property(c => c.HeadHash).HasMaxLength(64);
        builder.Property(c => c.HeadEntryId).HasMaxLength(40);
        builder.Property(c => c.Jws).HasMaxLength(4096);
        builder.Property(c => c.Kid).HasMaxLength(40);

        // Lists are newest first per developer (keyset on CreatedAt, Id); "latest" and "did the chain grow" read the top.
        builder.HasIndex(c => new { c.DeveloperId, c.CreatedAt, c.Id });
        builder.HasIndex(c => new { c.DeveloperId, c.EntryCount });
        builder.HasOne<Developer>().WithMany().HasForeignKey(c => c.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
