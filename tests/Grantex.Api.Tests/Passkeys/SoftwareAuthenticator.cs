using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Grantex.Api.Tests.Passkeys;

/// <summary>
/// What an attacker with a script has: a software WebAuthn authenticator (P-256, attestation "none", user verified
/// because it says so) that answers creation and request options as <c>PublicKeyCredential.toJSON()</c> would. The
/// server's checks are ASP.NET Core Identity's; this only makes well-formed answers for the origin it is told.
/// </summary>
internal sealed class SoftwareAuthenticator(string origin, string rpId = "localhost") : IDisposable
{
    private readonly Dictionary<string, (ECDsa Key, string UserHandle, uint Count)> _credentials = new(StringComparer.Ordinal);

    /// <summary>The credential ids it holds (base64url).</summary>
    public IReadOnlyCollection<string> CredentialIds => _credentials.Keys;

    /// <summary>Answers creation options (<c>publicKey</c> of the server's answer) with a new credential.</summary>
    public JsonElement Create(JsonElement options)
    {
        var challenge = options.GetProperty("challenge").GetString()!;
        var userHandle = options.GetProperty("user").GetProperty("id").GetString()!;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credentialId = RandomNumberGenerator.GetBytes(32);
        var id = Base64Url.EncodeToString(credentialId);
        _credentials[id] = (key, userHandle, 0);

        var clientData = ClientData("webauthn.create", challenge);
        var parameters = key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2);      // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7);     // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1);     // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        var publicKey = cose.Encode();

        var authData = new List<byte>(AuthData(flags: 0x45, count: 0));   // UP | UV | AT
        authData.AddRange(new byte[16]);                                   // AAGUID
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)credentialId.Length);
        authData.AddRange(length);
        authData.AddRange(credentialId);
        authData.AddRange(publicKey);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString([.. authData]);
        attestation.WriteEndMap();

        return Json(new
        {
            id,
            rawId = id,
            type = "public-key",
            authenticatorAttachment = "platform",
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                attestationObject = Base64Url.EncodeToString(attestation.Encode()),
                transports = new[] { "internal" },
            },
            clientExtensionResults = new { },
        });
    }

    /// <summary>Answers request options with <paramref name="credentialId"/> (default: the first it holds), whether or not the server offered it.</summary>
    public JsonElement Get(JsonElement options, string? credentialId = null)
    {
        var id = credentialId ?? _credentials.Keys.First();
        var (key, userHandle, count) = _credentials[id];
        _credentials[id] = (key, userHandle, count + 1);
        var clientData = ClientData("webauthn.get", options.GetProperty("challenge").GetString()!);
        var authData = AuthData(flags: 0x05, count: count + 1);   // UP | UV
        var signed = authData.Concat(SHA256.HashData(clientData)).ToArray();
        var signature = key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Json(new
        {
            id,
            rawId = id,
            type = "public-key",
            authenticatorAttachment = "platform",
            response = new
            {
                clientDataJSON = Base64Url.EncodeToString(clientData),
                authenticatorData = Base64Url.EncodeToString(authData),
                signature = Base64Url.EncodeToString(signature),
                userHandle,
            },
            clientExtensionResults = new { },
        });
    }

    public void Dispose()
    {
        foreach (var (key, _, _) in _credentials.Values)
        {
            key.Dispose();
        }
    }

    private byte[] ClientData(string type, string challenge) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type, challenge, origin, crossOrigin = false }));

    private byte[] AuthData(byte flags, uint count)
    {
        var data = new byte[37];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(data, 0);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), count);
        return data;
    }

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);
}
