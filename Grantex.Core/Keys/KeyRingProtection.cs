using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Keys;

/// <summary>
/// Where the Data Protection key ring lives and how it is protected at rest. The ring encrypts the signing keys
/// (and other secrets) in the database, so the database alone never yields them. The ring's folder is created
/// readable only by the server's user (0700). With <c>Grantex:DataProtection:CertificatePath</c> (a PFX, with
/// <c>CertificatePassword</c>) every key in the ring is also encrypted with that certificate, so the folder alone
/// is useless too. Without one, ASP.NET Core's "may be persisted to storage in unencrypted form" warning is
/// replaced by one plain statement of what protects the ring.
/// </summary>
public static partial class KeyRingProtection
{
    public const string KeysPathKey = "Grantex:DataProtection:KeysPath";
    public const string CertificatePathKey = "Grantex:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "Grantex:DataProtection:CertificatePassword";

    internal static void Add(IServiceCollection services, IConfiguration configuration, Func<IConfiguration, string> keysPath)
    {
        var builder = services.AddDataProtection().SetApplicationName("Grantex");
        if (configuration[CertificatePathKey] is { Length: > 0 } certificatePath)
        {
            builder.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(certificatePath, configuration[CertificatePasswordKey]));
        }
        else
        {
            // Said once, plainly, at start-up (LogUnencrypted) instead of the framework's warning on every new key.
            services.AddLogging(b => b.AddFilter(typeof(XmlKeyManager).FullName, LogLevel.Error));
        }

        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            var folder = PrivateFolder(keysPath(sp.GetService<IConfiguration>() ?? configuration));
            o.XmlRepository = new FileSystemXmlRepository(folder, sp.GetRequiredService<ILoggerFactory>());
        }));
    }

    /// <summary>Logs how the key ring is protected (called once at start-up).</summary>
    public static void Describe(IConfiguration configuration, string folder, ILogger logger)
    {
        if (configuration[CertificatePathKey] is { Length: > 0 } certificate)
        {
            LogEncrypted(logger, folder, certificate);
        }
        else
        {
            LogUnencrypted(logger, folder, CertificatePathKey);
        }
    }

    private static DirectoryInfo PrivateFolder(string path)
    {
        var folder = new DirectoryInfo(path);
        if (!folder.Exists)
        {
            if (OperatingSystem.IsWindows())
            {
                folder.Create();
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            folder.Refresh();
        }

        return folder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring in {Folder}, each key encrypted with the certificate {Certificate}")]
    private static partial void LogEncrypted(ILogger logger, string folder, string certificate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring in {Folder}, protected by file permissions (folder readable only by this user); set {Setting} to a PFX to also encrypt each key at rest")]
    private static partial void LogUnencrypted(ILogger logger, string folder, string setting);
}
