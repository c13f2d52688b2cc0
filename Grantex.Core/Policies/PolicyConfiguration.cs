using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Policies;

internal sealed class PolicyConfiguration : IEntityTypeConfiguration<Policy>
{
    public void Configure(EntityTypeBuilder<Policy> builder)
    {
        builder.ToTable("policies");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.DeveloperId).HasMaxLength(40);
        builder.Property(p => p.Name).HasMaxLength(PolicyRules.MaxNameLength);
        builder.Property(p => p.Effect).HasConversion<string>().HasMaxLength(8);
        builder.Property(p => p.AgentId).HasMaxLength(256);
        builder.Property(p => p.PrincipalId).HasMaxLength(256);
        builder.Property(p => p.Scopes);
        builder.Property(p => p.TimeOfDayStart).HasMaxLength(5);
        builder.Property(p => p.TimeOfDayEnd).HasMaxLength(5);
        builder.Property(p => p.TimeZone).HasMaxLength(PolicyRules.MaxTimeZoneLength);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.Ignore(p => p.HasTimeWindow);

        // Every evaluation and the list load one developer's policies in evaluation order.
        builder.HasIndex(p => new { p.DeveloperId, p.Priority, p.CreatedAt });
        builder.HasOne<Developer>().WithMany().HasForeignKey(p => p.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
