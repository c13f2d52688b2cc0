using System.Security.Cryptography;
using System.Text;

namespace Grantex.Core.Webhooks;

/// <summary>
/// The reference's two signatures (wire format §7.2): <c>X-Grantex-Signature = sha256=hex(HMAC-SHA256(secret, body))</c>
/// and <c>X-Grantex-Signature-V2 = sha256=hex(HMAC-SHA256(secret, "&lt;timestamp&gt;." + body))</c> with
/// <c>X-Grantex-Timestamp</c> in Unix seconds. The secret's UTF-8 bytes are the key, as in the reference.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Grantex-Signature";
    public const string HeaderV2 = "X-Grantex-Signature-V2";
    public const string TimestampHeader = "X-Grantex-Timestamp";
    public const string PreviousHeader = "X-Grantex-Signature-Previous";
    public const string PreviousHeaderV2 = "X-Grantex-Signature-V2-Previous";
    public const string EventIdHeader = "X-Grantex-Event-Id";
    public const string DeliveryIdHeader = "X-Grantex-Delivery-Id";

    public static string V1(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string V2(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
