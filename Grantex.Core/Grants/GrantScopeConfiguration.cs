using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Grants;

internal sealed class GrantScopeConfiguration : IEntityTypeConfiguration<GrantScope>
{
    public void Configure(EntityTypeBuilder<GrantScope> builder)
    {
        builder.ToTable("grant_scopes");
        builder.HasKey(s => new { s.GrantId, s.Scope });
        builder.Property(s => s.GrantId).HasMaxLength(40);
        builder.Property(s => s.DeveloperId).HasMaxLength(40);

        // A scope's grants newest first, across developers or within one: the (IssuedAt, GrantId) order of the lists.
        builder.HasIndex(s => new { s.Scope, s.IssuedAt, s.GrantId });
        builder.HasIndex(s => new { s.DeveloperId, s.Scope, s.IssuedAt, s.GrantId });
        builder.HasOne<Grant>().WithMany().HasForeignKey(s => s.GrantId).OnDelete(DeleteBehavior.Cascade);
    }
}
