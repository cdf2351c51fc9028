using Grains.Interfaces.Signaling.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Grains.SignalQueues;

/// <summary>
/// The stream provider of internal signaling in the embedded and PostgreSQL profiles: Orleans' persistent-stream
/// machinery (pulling agents, cache, pub-sub) over <see cref="ISignalQueueGrain"/>s instead of Orleans' memory
/// queues. Orleans' memory receiver asks its queue grain every pull period whether anything arrived; this one
/// waits in the grain (<see cref="SignalQueueReceiver"/>), which on a quiet silo was most of its background
/// CPU (bench/NOTES.md) and hands events out as they arrive instead of up to a pull period later.
/// </summary>
public sealed class SignalQueueAdapterFactory : IQueueAdapterFactory, IQueueAdapter
{
    private readonly IGrainFactory _grains;
    private readonly SignalQueueOptions _options;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly SiloAddress? _localSilo;

    /// <param name="localSilo">The silo whose pulling agents use this factory (null on clients, which do not pull).</param>
    public SignalQueueAdapterFactory(string name, SignalQueueOptions options, IGrainFactory grains, ILoggerFactory loggerFactory, SiloAddress? localSilo = null)
    {
        _localSilo = localSilo;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCount, 1, nameof(options.QueueCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LongPollWait, TimeSpan.Zero, nameof(options.LongPollWait));
        Name = name;
        _options = options;
        _grains = grains;
        _mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions(), name, loggerFactory);
    }

    /// <summary>For <c>AddPersistentStreams</c>, with the documented defaults of <see cref="SignalQueueOptions"/>.</summary>
    public static SignalQueueAdapterFactory Create(IServiceProvider services, string name) =>
        new(name, new SignalQueueOptions(), services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILoggerFactory>(),
            services.GetService<ILocalSiloDetails>()?.SiloAddress);

    public string Name { get; }

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
            throw new ArgumentException("Signal queues are not rewindable: a producer cannot choose the sequence token.", nameof(token));
        var batch = new SignalQueueBatch(streamId, events.Cast<object>().ToList(), requestContext);
        return QueueOf(_mapper.GetQueueForStream(streamId)).Enqueue(batch);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        new SignalQueueReceiver(QueueOf(queueId), _options, _localSilo);

    private ISignalQueueGrain QueueOf(QueueId queueId) =>
        _grains.GetGrain<ISignalQueueGrain>(ISignalQueueGrain.KeyOf(Name, queueId.GetNumericId()));
}
