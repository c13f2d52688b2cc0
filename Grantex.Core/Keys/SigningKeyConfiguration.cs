using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Keys;

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> builder)
    {
        builder.ToTable("signing_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(40);
        builder.Property(k => k.ProtectedPrivateKey).HasMaxLength(8192);
        builder.Property(k => k.Modulus).HasMaxLength(1024);
        builder.Property(k => k.Exponent).HasMaxLength(16);
        builder.Ignore(k => k.Status);
    }
}
