using Grantex.Core.Agents;
using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.OAuth;

internal sealed class OAuthClientConfiguration : IEntityTypeConfiguration<OAuthClient>
{
    public void Configure(EntityTypeBuilder<OAuthClient> builder)
    {
        builder.ToTable("oauth_clients");
        builder.HasKey(c => c.ClientId);
        builder.Property(c => c.ClientId).HasMaxLength(40);
        builder.Property(c => c.DeveloperId).HasMaxLength(40);
        builder.Property(c => c.TokenEndpointAuthMethod).HasMaxLength(32);
        builder.Property(c => c.SecretHash).HasMaxLength(64);
        builder.Property(c => c.RegistrationTokenHash).HasMaxLength(64);
        builder.Property(c => c.ClientUri).HasMaxLength(2048);
        builder.Property(c => c.LogoUri).HasMaxLength(2048);
        builder.Property(c => c.Scope).HasMaxLength(2048);
        builder.Property(c => c.SoftwareId).HasMaxLength(256);
        builder.Property(c => c.SoftwareVersion).HasMaxLength(64);
        builder.Property(c => c.ApplicationType).HasMaxLength(16);
        builder.Property(c => c.RegisteredWith).HasMaxLength(40);
        builder.Ignore(c => c.IsPublic);
        builder.HasIndex(c => c.DeveloperId);
        builder.HasOne<Agent>().WithOne().HasForeignKey<OAuthClient>(c => c.ClientId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OAuthRegistrationTokenConfiguration : IEntityTypeConfiguration<OAuthRegistrationToken>
{
    public void Configure(EntityTypeBuilder<OAuthRegistrationToken> builder)
    {
        builder.ToTable("oauth_registration_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(40);
        builder.Property(t => t.DeveloperId).HasMaxLength(40);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasOne<Developer>().WithMany().HasForeignKey(t => t.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OAuthResourceConfiguration : IEntityTypeConfiguration<OAuthResource>
{
    public void Configure(EntityTypeBuilder<OAuthResource> builder)
    {
        builder.ToTable("oauth_resources");
        builder.HasKey(r => new { r.DeveloperId, r.Uri });
        builder.Property(r => r.DeveloperId).HasMaxLength(40);
        builder.Property(r => r.Uri).HasMaxLength(2048);
        builder.HasOne<Developer>().WithMany().HasForeignKey(r => r.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
