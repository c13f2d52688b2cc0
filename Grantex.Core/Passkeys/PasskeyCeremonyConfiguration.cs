using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Passkeys;

internal sealed class PasskeyCeremonyConfiguration : IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<PasskeyCeremony> builder)
    {
        builder.ToTable("passkey_ceremonies");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(40);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.DeveloperId).HasMaxLength(40);
        builder.Property(c => c.PrincipalId).HasMaxLength(256);
        builder.Property(c => c.PrincipalKey).HasMaxLength(40);
        builder.Property(c => c.AuthRequestId).HasMaxLength(40);
        builder.Property(c => c.SessionHash).HasMaxLength(64);
        builder.Property(c => c.EnrolledVia).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.EnrolmentLinkId).HasMaxLength(40);
        builder.Property(c => c.State).HasMaxLength(8192);
        builder.HasIndex(c => c.ExpiresAt);
    }
}
