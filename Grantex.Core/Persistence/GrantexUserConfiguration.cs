using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Persistence;

internal sealed class GrantexUserConfiguration : IEntityTypeConfiguration<GrantexUser>
{
    public void Configure(EntityTypeBuilder<GrantexUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200);
    }
}
