using System.Security.Cryptography.X509Certificates;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
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
    public const string StoreKey = "Grantex:DataProtection:Store";

    /// <summary>
    /// Whether the ring is kept in the database (<c>Grantex:DataProtection:Store</c> = <c>Database</c>) or in a folder
    /// (<c>File</c>). Default: the database on PostgreSQL unless a <c>KeysPath</c> is set (every node must read the
    /// same ring), a folder beside the data on SQLite.
    /// </summary>
    public static bool InDatabase(IConfiguration configuration) => configuration[StoreKey] switch
    {
        { Length: > 0 } store when store.Equals("Database", StringComparison.OrdinalIgnoreCase) => true,
        { Length: > 0 } store when store.Equals("File", StringComparison.OrdinalIgnoreCase) => false,
        { Length: > 0 } store => throw new InvalidOperationException($"{StoreKey} is '{store}'; use Database or File."),
        _ => configuration[KeysPathKey] is not { Length: > 0 } && DatabaseOptions.From(configuration).Provider == DatabaseProviderKind.PostgreSQL,
    };

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
            var settings = sp.GetService<IConfiguration>() ?? configuration;
            if (InDatabase(settings))
            {
                // Shared by every node: a token's signing key, a consent cookie or an SSO secret protected by one node
                // is read by the others. The database then holds both the ring and what it protects: set a certificate.
                o.XmlRepository = new EntityFrameworkCoreXmlRepository<GrantexDbContext>(sp, sp.GetRequiredService<ILoggerFactory>());
                return;
            }

            var folder = PrivateFolder(keysPath(settings));
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
        else if (InDatabase(configuration))
        {
            LogInDatabase(logger, CertificatePathKey);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring in the database, not encrypted at rest; set {Setting} to a PFX so the database alone does not yield the keys")]
    private static partial void LogInDatabase(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring in {Folder}, protected by file permissions (folder readable only by this user); set {Setting} to a PFX to also encrypt each key at rest")]
    private static partial void LogUnencrypted(ILogger logger, string folder, string setting);
}
