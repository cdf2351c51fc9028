using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LinkEmulator;

/// <summary>
/// Holds delayed datagrams and sends each at its departure time, from the socket the receiver answers to.
/// One thread; the receive threads add under a lock. Sleeps until the earliest departure, in whole
/// milliseconds (good enough for WAN-like delays).
/// </summary>
public sealed class DelayLine : IDisposable
{
    private readonly PriorityQueue<Pending, long> _queue = new();
    private readonly Thread _thread;
    private volatile bool _stopped;

    public DelayLine()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "delay-line" };
        _thread.Start();
    }

    public void Add(long departureTicks, byte[] datagram, int length, Socket from, IPEndPoint to)
    {
        lock (_queue)
        {
            _queue.Enqueue(new Pending(datagram, length, from, to), departureTicks);
            Monitor.Pulse(_queue);
        }
    }

    private void Run()
    {
        while (!_stopped)
        {
            Pending next;
            lock (_queue)
            {
                if (!_queue.TryPeek(out _, out long due))
                {
                    Monitor.Wait(_queue, 100);
                    continue;
                }
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    // At least 1 ms: a shorter wait would spin a core; a datagram may leave up to ~1 ms late, never early.
                    Monitor.Wait(_queue, (int)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency));
                    continue;
                }
                next = _queue.Dequeue();
            }
            try
            {
                next.From.SendTo(next.Datagram.AsSpan(0, next.Length), SocketFlags.None, next.To);
            }
            catch (SocketException)
            {
                // The receiver's namespace may be gone (regions going down); drop it as a network would.
            }
        }
    }

    public void Dispose()
    {
        _stopped = true;
        lock (_queue)
            Monitor.Pulse(_queue);
        _thread.Join(1000);
    }

    private readonly record struct Pending(byte[] Datagram, int Length, Socket From, IPEndPoint To);
}
