using System.Diagnostics;
using Grantex.Core.Audit;

/// <summary>Single-thread cost of recomputing one audit hash (printed with "micro").</summary>
internal static class Micro
{
    public static void Run()
    {
        var input = new AuditHashInput("alog_01JBENCHXXXXXXXXXXXXXXXXXX", "ag_01JBENCHAGENT0000000000003", "did:grantex:ag_01JBENCHAGENT0000000000003",
            "grnt_01JBENCHGRANT0000000000000", "user_123", "dev_01JBENCHDEV000000000000000", "tool.invoked", "{\"amount\":12,\"n\":123456,\"tool\":\"search\"}",
            "2026-11-22T20:48:59.660Z", "e0ab04801a66e6b7fa03f0284398fe0a403a5d8ccae74ae86f48290f3f050f66", "success");
        for (var round = 0; round < 3; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            string last = "";
            for (var i = 0; i < 1_000_000; i++)
            {
                last = AuditHash.Compute(input);
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"  AuditHash.Compute x1M: {clock.Elapsed.TotalSeconds:F2} s (CPU {cpu.TotalSeconds:F2} s) {last[..8]}");
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var h = new byte[32];
            var bytes = System.Text.Encoding.UTF8.GetBytes(new string('x', 450));
            for (var i = 0; i < 1_000_000; i++)
            {
                System.Security.Cryptography.SHA256.HashData(bytes, h);
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"  SHA-256 of 450 B x1M:  {clock.Elapsed.TotalSeconds:F2} s (CPU {cpu.TotalSeconds:F2} s)");
            using var incremental = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            for (var i = 0; i < 1_000_000; i++)
            {
                incremental.AppendData(bytes);
                incremental.GetHashAndReset(h);
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"  IncrementalHash 450 B x1M: {clock.Elapsed.TotalSeconds:F2} s (CPU {cpu.TotalSeconds:F2} s)");
        }
    }
}
