using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Webhooks;

/// <summary>
/// How far the fan-out has walked the event log. It is updated in the same transaction as the delivery rows it
/// produced, so after a crash the walk resumes exactly where its last commit left it: no event is fanned out twice
/// or skipped.
/// </summary>
public sealed class WebhookFanoutCursor
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;

    public long Seq { get; set; }
}

internal sealed class WebhookFanoutCursorConfiguration : IEntityTypeConfiguration<WebhookFanoutCursor>
{
    public void Configure(EntityTypeBuilder<WebhookFanoutCursor> builder)
    {
        builder.ToTable("webhook_fanout_cursor");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
    }
}
