using Grantex.Core.Agents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Grantex.Core.Consent;

internal sealed class AuthRequestConfiguration : IEntityTypeConfiguration<AuthRequest>
{
    public void Configure(EntityTypeBuilder<AuthRequest> builder)
    {
        builder.ToTable("auth_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.DeveloperId).HasMaxLength(40);
        builder.Property(r => r.AgentId).HasMaxLength(40);
        builder.Property(r => r.PrincipalId).HasMaxLength(256);
        builder.Property(r => r.RedirectUri).HasMaxLength(2048);
        builder.Property(r => r.State).HasMaxLength(1024);
        builder.Property(r => r.Audience).HasMaxLength(1024);
        builder.Property(r => r.CodeChallenge).HasMaxLength(43);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.CodeHash).HasMaxLength(64);
        builder.Property(r => r.DecidedBy).HasMaxLength(32);
        builder.Property(r => r.GrantId).HasMaxLength(40);
        builder.Property(r => r.PresenceCredentialId).HasMaxLength(1400);
        builder.Property(r => r.PresenceEnrolment).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.IdentityLevel).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.IdentityIssuer).HasMaxLength(512);
        builder.Property(r => r.IdentitySubject).HasMaxLength(256);
        builder.Property(r => r.IdentityAmr).HasMaxLength(128);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.CodeHash).IsUnique();
        builder.HasIndex(r => new { r.DeveloperId, r.CreatedAt });
        builder.HasOne<Agent>().WithMany().HasForeignKey(r => r.AgentId).OnDelete(DeleteBehavior.Restrict);
    }
}
