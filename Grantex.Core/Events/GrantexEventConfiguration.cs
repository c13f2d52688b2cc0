using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Events;

internal sealed class GrantexEventConfiguration : IEntityTypeConfiguration<GrantexEvent>
{
    public void Configure(EntityTypeBuilder<GrantexEvent> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Seq);
        builder.Property(e => e.Seq).ValueGeneratedOnAdd();
        builder.Property(e => e.Id).HasMaxLength(40).IsRequired();
        builder.Property(e => e.DeveloperId).HasMaxLength(40);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.HasIndex(e => e.Id).IsUnique();

        // The stream and the webhook fan-out read one developer's events after a position.
        builder.HasIndex(e => new { e.DeveloperId, e.Seq });
        builder.HasOne<Developer>().WithMany().HasForeignKey(e => e.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
