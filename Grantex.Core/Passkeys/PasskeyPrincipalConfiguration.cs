using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Passkeys;

internal sealed class PasskeyPrincipalConfiguration : IEntityTypeConfiguration<PasskeyPrincipal>
{
    public void Configure(EntityTypeBuilder<PasskeyPrincipal> builder)
    {
        builder.ToTable("passkey_principals");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.DeveloperId).HasMaxLength(40);
        builder.Property(p => p.PrincipalId).HasMaxLength(256);
        builder.HasIndex(p => new { p.DeveloperId, p.PrincipalId }).IsUnique();
        builder.HasOne<Developer>().WithMany().HasForeignKey(p => p.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
