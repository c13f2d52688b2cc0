using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Passkeys;

internal sealed class PasskeyEnrolmentLinkConfiguration : IEntityTypeConfiguration<PasskeyEnrolmentLink>
{
    public void Configure(EntityTypeBuilder<PasskeyEnrolmentLink> builder)
    {
        builder.ToTable("passkey_enrolment_links");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasMaxLength(40);
        builder.Property(l => l.DeveloperId).HasMaxLength(40);
        builder.Property(l => l.PrincipalId).HasMaxLength(256);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.Property(l => l.IssuedBy).HasMaxLength(128);
        builder.Property(l => l.PasskeyId).HasMaxLength(40);

        // The enrolment page finds a link by its secret; the console lists a principal's links.
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => new { l.DeveloperId, l.PrincipalId, l.CreatedAt });
    }
}
