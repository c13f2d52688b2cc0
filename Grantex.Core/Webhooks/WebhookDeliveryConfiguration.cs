using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Webhooks;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasMaxLength(40);
        builder.Property(d => d.WebhookId).HasMaxLength(40).IsRequired();
        builder.Property(d => d.DeveloperId).HasMaxLength(40).IsRequired();
        builder.Property(d => d.EventId).HasMaxLength(40).IsRequired();
        builder.Property(d => d.EventType).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Url).HasMaxLength(WebhookUrlPolicy.MaxLength).IsRequired();
        builder.Property(d => d.Status).HasMaxLength(16).IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(WebhookAttempt.MaxErrorLength);
        builder.Property(d => d.RedeliveryOf).HasMaxLength(40);

        // The deliverer claims due pending rows in time order.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });

        // The deliveries list: one webhook's rows, newest first, optionally by status.
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
    }
}
