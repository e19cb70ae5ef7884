using System.Text;
using Microsoft.EntityFrameworkCore;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>
/// The server's database. The schema is owned by the SQL migrations in <c>Migrations/{Sqlite,Postgres}</c>; this model
/// maps onto it (snake_case names) and never creates anything itself.
/// </summary>
internal sealed class MessagingDbContext(DbContextOptions<MessagingDbContext> options) : DbContext(options)
{
    public DbSet<AccountEntity> Accounts => Set<AccountEntity>();

    public DbSet<DeviceEntity> Devices => Set<DeviceEntity>();

    public DbSet<ReviewEntity> Reviews => Set<ReviewEntity>();

    public DbSet<ReviewStateEntity> ReviewStates => Set<ReviewStateEntity>();

    public DbSet<ReviewMemberEntity> ReviewMembers => Set<ReviewMemberEntity>();

    public DbSet<ChannelEntity> Channels => Set<ChannelEntity>();

    public DbSet<EpochRecordEntity> EpochRecords => Set<EpochRecordEntity>();

    public DbSet<EnvelopeEntity> Envelopes => Set<EnvelopeEntity>();

    public DbSet<BlobUploadEntity> BlobUploads => Set<BlobUploadEntity>();

    public DbSet<BlobEntity> Blobs => Set<BlobEntity>();
    public DbSet<StatePartyEntity> StatesParties => Set<StatePartyEntity>();

    public DbSet<ReviewStageEventEntity> ReviewStageEvents => Set<ReviewStageEventEntity>();

    public DbSet<DisclosurePolicyEntity> DisclosurePolicies => Set<DisclosurePolicyEntity>();

    public DbSet<FocalPointEntity> FocalPoints => Set<FocalPointEntity>();

    public DbSet<TrustStatementEntity> TrustStatements => Set<TrustStatementEntity>();

    public DbSet<ReviewEventEntity> ReviewEvents => Set<ReviewEventEntity>();

    public DbSet<SealedBundleEntity> SealedBundles => Set<SealedBundleEntity>();

    public DbSet<PublicationEntity> Publications => Set<PublicationEntity>();

    public DbSet<PublicationWithdrawalEntity> PublicationWithdrawals => Set<PublicationWithdrawalEntity>();

    public DbSet<AmendmentEntity> Amendments => Set<AmendmentEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Keys, unique indexes and foreign keys as the SQL migrations declare them (EF orders inserts by the foreign keys).
        modelBuilder.Entity<AccountEntity>(e =>
        {
            e.ToTable("accounts").HasKey(a => a.Id);
            e.HasIndex(a => new { a.Issuer, a.Subject }).IsUnique();
        });
        modelBuilder.Entity<DeviceEntity>(e =>
        {
            e.ToTable("devices").HasKey(d => d.DeviceId);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ReviewEntity>(e =>
        {
            e.ToTable("reviews").HasKey(r => r.Id);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(r => r.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ReviewStateEntity>(e =>
        {
            e.ToTable("review_states").HasKey(s => new { s.ReviewId, s.StateCode });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(s => s.ReviewId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ReviewMemberEntity>(e =>
        {
            e.ToTable("review_members").HasKey(m => new { m.ReviewId, m.AccountId });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(m => m.ReviewId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ChannelEntity>(e =>
        {
            e.ToTable("channels").HasKey(c => new { c.ReviewId, c.Name });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(c => c.ReviewId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<EpochRecordEntity>(e =>
        {
            e.ToTable("epoch_records").HasKey(r => new { r.ReviewId, r.Channel, r.Epoch });
            e.HasOne<ChannelEntity>().WithMany().HasForeignKey(r => new { r.ReviewId, r.Channel }).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<EnvelopeEntity>(e =>
        {
            e.ToTable("envelopes").HasKey(x => new { x.ReviewId, x.Channel, x.Sequence });
            e.HasIndex(x => new { x.ReviewId, x.Channel, x.SenderDevice, x.ClientMessageId }).IsUnique();
            e.HasIndex(x => new { x.ReviewId, x.Channel, x.SenderDevice, x.Counter }).IsUnique();
            e.HasOne<ChannelEntity>().WithMany().HasForeignKey(x => new { x.ReviewId, x.Channel }).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<DeviceEntity>().WithMany().HasForeignKey(x => x.SenderDevice).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<BlobUploadEntity>(e =>
        {
            e.ToTable("blob_uploads").HasKey(u => u.UploadId);
            e.HasOne<ChannelEntity>().WithMany().HasForeignKey(u => new { u.ReviewId, u.Channel }).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(u => u.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<BlobEntity>(e =>
        {
            e.ToTable("blobs").HasKey(b => new { b.ReviewId, b.Channel, b.BlobId });
            e.HasOne<ChannelEntity>().WithMany().HasForeignKey(b => new { b.ReviewId, b.Channel }).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(b => b.UploadedBy).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<StatePartyEntity>(e => e.ToTable("states_parties").HasKey(s => s.Code));
        modelBuilder.Entity<ReviewStageEventEntity>(e =>
        {
            e.ToTable("review_stage_events").HasKey(x => new { x.ReviewId, x.Sequence });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(x => x.ReviewId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<DisclosurePolicyEntity>(e =>
        {
            e.ToTable("disclosure_policies").HasKey(x => new { x.ReviewId, x.Version });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(x => x.ReviewId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<DeviceEntity>().WithMany().HasForeignKey(x => x.SignerDevice).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(x => x.SignerAccount).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<FocalPointEntity>(e =>
        {
            e.ToTable("focal_points").HasKey(f => f.Id);
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(f => f.ReviewId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AccountEntity>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<TrustStatementEntity>(e =>
        {
            e.ToTable("trust_statements").HasKey(t => new { t.ReviewId, t.Position });
            e.HasIndex(t => new { t.ReviewId, t.CertifierDevice, t.Sequence }).IsUnique();
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(t => t.ReviewId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<ReviewEventEntity>(e =>
        {
            e.ToTable("review_events").HasKey(x => new { x.ReviewId, x.Position });
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(x => x.ReviewId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<SealedBundleEntity>(e => e.ToTable("sealed_bundles").HasKey(b => new { b.ReviewId, b.Name }));
        modelBuilder.Entity<PublicationEntity>(e =>
        {
            e.ToTable("publications").HasKey(p => p.Id);
            e.HasOne<ReviewEntity>().WithMany().HasForeignKey(p => p.ReviewId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<PublicationWithdrawalEntity>(e =>
        {
            e.ToTable("publication_withdrawals").HasKey(w => w.PublicationId);
            e.HasOne<PublicationEntity>().WithMany().HasForeignKey(w => w.PublicationId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<AmendmentEntity>(e =>
        {
            e.ToTable("amendments").HasKey(a => a.Id);
            e.HasOne<ChannelEntity>().WithMany().HasForeignKey(a => new { a.ReviewId, a.Channel }).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<DeviceEntity>().WithMany().HasForeignKey(a => a.AuthorDevice).OnDelete(DeleteBehavior.Restrict);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
                property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
