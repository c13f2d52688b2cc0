using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grantex.Core.Keys;
using Grantex.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Tests.Keys;

/// <summary>The Data Protection key ring (which encrypts the signing keys in the database) is private, and encrypted when a certificate is configured.</summary>
public sealed class KeyRingProtectionTests : IDisposable
{
    private readonly string _directory = TestSettings.NewDirectory("grantex-keyring-");

    public void Dispose() => TestSettings.DeleteDirectory(_directory);

    [Fact]
    public void without_a_certificate_the_ring_folder_is_readable_only_by_the_server_user()
    {
        var keys = Path.Combine(_directory, "ring");
        var protectedText = Protect(Settings(keys), "secret");

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(keys) & others);
        }

        var xml = File.ReadAllText(Assert.Single(Directory.GetFiles(keys, "*.xml")));
        Assert.Contains("<masterKey", xml);
        Assert.DoesNotContain("EncryptedData", xml);
        Assert.Equal("secret", Unprotect(Settings(keys), protectedText));
    }

    [Fact]
    public void with_a_certificate_every_key_is_encrypted_at_rest_and_a_restart_still_reads_it()
    {
        var keys = Path.Combine(_directory, "ring");
        var pfx = Path.Combine(_directory, "ring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=grantex-key-ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pw"));
        }

        var settings = Settings(keys, (KeyRingProtection.CertificatePathKey, pfx), (KeyRingProtection.CertificatePasswordKey, "pw"));
        var protectedText = Protect(settings, "secret");

        var xml = File.ReadAllText(Assert.Single(Directory.GetFiles(keys, "*.xml")));
        Assert.Contains("EncryptedData", xml);
        Assert.DoesNotContain("<value>", xml);
        Assert.Equal("secret", Unprotect(settings, protectedText));
        Assert.ThrowsAny<CryptographicException>(() => Unprotect(Settings(keys), protectedText));
    }

    private IConfiguration Settings(string keys, params (string Key, string Value)[] extra) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Grantex"] = $"Data Source={Path.Combine(_directory, "g.db")}",
            [KeyRingProtection.KeysPathKey] = keys,
        }.Concat(extra.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))))
        .Build();

    private static string Protect(IConfiguration settings, string text)
    {
        using var services = Build(settings);
        return services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect(text);
    }

    private static string Unprotect(IConfiguration settings, string text)
    {
        using var services = Build(settings);
        return services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(text);
    }

    private static ServiceProvider Build(IConfiguration settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(settings);
        services.AddGrantexCore(settings);
        return services.BuildServiceProvider();
    }
}
