using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Principals;

internal sealed class ScimTokenConfiguration : IEntityTypeConfiguration<ScimToken>
{
    public void Configure(EntityTypeBuilder<ScimToken> builder)
    {
        builder.ToTable("scim_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(40);
        builder.Property(t => t.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(t => t.Label).HasMaxLength(ScimRules.MaxLabelLength).IsRequired();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsFixedLength().IsRequired();

        // Every SCIM request looks its token up by hash; the token list is per developer.
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.DeveloperId, t.CreatedAt });
        builder.HasOne<Developer>().WithMany().HasForeignKey(t => t.DeveloperId).OnDelete(DeleteBehavior.Cascade);
    }
}
