using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Sso;

internal sealed class SsoConnectionConfiguration : IEntityTypeConfiguration<SsoConnection>
{
    public void Configure(EntityTypeBuilder<SsoConnection> builder)
    {
        builder.ToTable("sso_connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(c => c.Name).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Protocol).HasMaxLength(16).IsRequired();
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.IssuerUrl).HasMaxLength(2048).IsRequired();
        builder.Property(c => c.ClientId).HasMaxLength(512).IsRequired();
        builder.Property(c => c.ClientSecretProtected).HasMaxLength(4096).IsRequired();
        builder.Property(c => c.PrincipalClaim).HasMaxLength(32).IsRequired();
        builder.Property(c => c.RedirectUri).HasMaxLength(2048);
        builder.Property(c => c.Version).IsConcurrencyToken();

        // A developer's connections, oldest first (the consent page picks the first active one matching the domain).
        builder.HasIndex(c => new { c.DeveloperId, c.CreatedAt });
    }
}
