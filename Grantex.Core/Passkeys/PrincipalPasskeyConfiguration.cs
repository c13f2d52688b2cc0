using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Passkeys;

internal sealed class PrincipalPasskeyConfiguration : IEntityTypeConfiguration<PrincipalPasskey>
{
    public void Configure(EntityTypeBuilder<PrincipalPasskey> builder)
    {
        builder.ToTable("principal_passkeys");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(40);
        builder.Property(p => p.PrincipalKey).HasMaxLength(40);
        builder.Property(p => p.DeveloperId).HasMaxLength(40);
        builder.Property(p => p.PrincipalId).HasMaxLength(256);
        builder.Property(p => p.CredentialId).HasMaxLength(1400);
        builder.Property(p => p.PublicKey).HasMaxLength(2048);
        builder.Property(p => p.Transports);
        builder.Property(p => p.AttestationObject).HasMaxLength(16384);
        builder.Property(p => p.ClientDataJson).HasMaxLength(4096);
        builder.Property(p => p.DeviceName).HasMaxLength(200);
        builder.Property(p => p.EnrolledVia).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(p => p.CredentialId).IsUnique();
        builder.HasIndex(p => new { p.DeveloperId, p.PrincipalId });
        builder.HasIndex(p => p.PrincipalKey);
        builder.HasOne<PasskeyPrincipal>().WithMany().HasForeignKey(p => p.PrincipalKey).OnDelete(DeleteBehavior.Cascade);
    }
}
