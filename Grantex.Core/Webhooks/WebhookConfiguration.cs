using Grantex.Core.Developers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Webhooks;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasMaxLength(40);
        builder.Property(w => w.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(w => w.Url).HasMaxLength(WebhookUrlPolicy.MaxLength).IsRequired();
        builder.Property(w => w.Events).IsRequired();
        builder.Property(w => w.ProtectedSecret).HasMaxLength(1024).IsRequired();
        builder.Property(w => w.ProtectedPreviousSecret).HasMaxLength(1024);

        // The list and the fan-out read one developer's webhooks.
        builder.HasIndex(w => new { w.DeveloperId, w.CreatedAt });
        builder.HasOne<Developer>().WithMany().HasForeignKey(w => w.DeveloperId).OnDelete(DeleteBehavior.Restrict);
    }
}
