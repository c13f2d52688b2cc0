using System.Text;
using Grantex.Core.Webhooks;

namespace Grantex.Core.Tests.Webhooks;

/// <summary>The reference's test vectors (wire format §7.2) reproduce exactly.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Body = """{"id":"evt_01J00000000000000000000000","type":"grant.revoked","createdAt":"2026-01-01T00:00:00.000Z","data":{"grantId":"grnt_001","cascade":false}}""";

    [Fact]
    public void the_legacy_signature_matches_the_reference_vector() =>
        Assert.Equal("sha256=15eb7231a68e5541d306d9adcdae7fde555fbf47b749ae9e1f6375950e85c312", WebhookSignature.V1(Secret, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void the_v2_signature_matches_the_reference_vector() =>
        Assert.Equal("sha256=9604991d7b8967de299b39cd5c3e1af16df0d86a1769793a6a2af93ff7c72f21", WebhookSignature.V2(Secret, 1767225600, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void a_changed_byte_or_timestamp_changes_the_signature()
    {
        var tampered = Encoding.UTF8.GetBytes(Body.Replace("false", "true", StringComparison.Ordinal));
        Assert.NotEqual(WebhookSignature.V1(Secret, Encoding.UTF8.GetBytes(Body)), WebhookSignature.V1(Secret, tampered));
        Assert.NotEqual(WebhookSignature.V2(Secret, 1767225600, Encoding.UTF8.GetBytes(Body)), WebhookSignature.V2(Secret, 1767225601, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData(1, 30, 15, 45)]
    [InlineData(2, 30, 30, 90)]
    [InlineData(4, 30, 120, 360)]
    [InlineData(20, 30, 1800, 5400)] // capped at the maximum (1 h) before jitter
    public void retries_back_off_exponentially_with_jitter(int failed, int baseSeconds, int minSeconds, int maxSeconds)
    {
        var low = WebhookRetrySchedule.Delay(failed, TimeSpan.FromSeconds(baseSeconds), TimeSpan.FromHours(1), 0);
        var high = WebhookRetrySchedule.Delay(failed, TimeSpan.FromSeconds(baseSeconds), TimeSpan.FromHours(1), 0.999999);
        Assert.Equal(TimeSpan.FromSeconds(minSeconds), low);
        Assert.Equal(maxSeconds, Math.Round(high.TotalSeconds));
    }
}
