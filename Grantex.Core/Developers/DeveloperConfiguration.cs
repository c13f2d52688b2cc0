using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Developers;

internal sealed class DeveloperConfiguration : IEntityTypeConfiguration<Developer>
{
    public void Configure(EntityTypeBuilder<Developer> builder)
    {
        builder.ToTable("developers");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.Email).HasMaxLength(254);
        builder.Property(d => d.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.PresenceRequirement).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.FidoRpName).HasMaxLength(100);
        builder.Property(d => d.PrincipalAuthentication).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(d => d.Email).IsUnique();
    }
}
