using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Principals;

internal sealed class ScimUserConfiguration : IEntityTypeConfiguration<ScimUser>
{
    public void Configure(EntityTypeBuilder<ScimUser> builder)
    {
        builder.ToTable("scim_users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(40);
        builder.Property(u => u.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(u => u.UserName).HasMaxLength(ScimRules.MaxUserNameLength).IsRequired();
        builder.Property(u => u.NormalizedUserName).HasMaxLength(ScimRules.MaxUserNameLength).IsRequired();
        builder.Property(u => u.ExternalId).HasMaxLength(ScimRules.MaxTextLength);
        builder.Property(u => u.DisplayName).HasMaxLength(ScimRules.MaxTextLength);
        builder.Property(u => u.GivenName).HasMaxLength(ScimRules.MaxTextLength);
        builder.Property(u => u.FamilyName).HasMaxLength(ScimRules.MaxTextLength);
        builder.Property(u => u.EmailsJson).HasMaxLength(ScimRules.MaxEmailsJsonLength).IsRequired();
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.Ignore(u => u.Emails);
        builder.Ignore(u => u.BlocksPrincipal);

        // One user per principal and developer (409 uniqueness); the block check on every authorize reads this index.
        builder.HasIndex(u => new { u.DeveloperId, u.NormalizedUserName }).IsUnique();
        // The SCIM list pages in creation order; the externalId filter.
        builder.HasIndex(u => new { u.DeveloperId, u.CreatedAt, u.Id });
        builder.HasIndex(u => new { u.DeveloperId, u.ExternalId });
        builder.HasOne<Developer>().WithMany().HasForeignKey(u => u.DeveloperId).OnDelete(DeleteBehavior.Cascade);
    }
}
