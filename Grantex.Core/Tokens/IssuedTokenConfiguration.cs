using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Tokens;

internal sealed class IssuedTokenConfiguration : IEntityTypeConfiguration<IssuedToken>
{
    public void Configure(EntityTypeBuilder<IssuedToken> builder)
    {
        builder.ToTable("grant_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(40);
        builder.Property(t => t.GrantId).HasMaxLength(40);
        builder.Property(t => t.DeveloperId).HasMaxLength(40);
        builder.HasIndex(t => t.GrantId);
        builder.Property(t => t.Kid).HasMaxLength(40);
        builder.HasIndex(t => t.RevokedAt);
        builder.HasIndex(t => new { t.Kid, t.ExpiresAt });
    }
}
