"""The job's request queue in Redis and each worker's processing hash, with their Lua scripts.

A pop moves a request into the popping worker's processing hash, where it stays until the
worker acknowledges it or gives it back; the hashes of dead workers go back on the queue.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

# KEYS: queue, processing hash. Pops the best request into the processing hash.
POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], r[1], r[2])
return r[1]
"""
# KEYS: queue, processing hash. ARGV: encoded requests. Gives them back to the queue.
REQUEUE = """
for _, m in ipairs(ARGV) do
  local score = redis.call('HGET', KEYS[2], m)
  if score then
    redis.call('ZADD', KEYS[1], score, m)
    redis.call('HDEL', KEYS[2], m)
  end
end
"""
# KEYS: workers set, queue. ARGV: job key prefix. Requeues the requests of dead workers.
RECOVER = """
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. w) == 0 then
    local h = ARGV[1] .. 'processing:' .. w
    local entries = redis.call('HGETALL', h)
    for i = 1, #entries, 2 do
      redis.call('ZADD', KEYS[2], entries[i + 1], entries[i])
      moved = moved + 1
    end
    redis.call('DEL', h)
    redis.call('SREM', KEYS[1], w)
  end
end
return moved
"""
# KEYS: workers set, queue. ARGV: job key prefix. Requests queued or in flight anywhere.
PENDING = """
local n = redis.call('ZCARD', KEYS[2])
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  n = n + redis.call('HLEN', ARGV[1] .. 'processing:' .. w)
end
return n
"""


class ReliableQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop parks the request in a processing hash."""

    def __init__(self, server, spider: Spider, key: str, processing: str, serializer=None) -> None:
        super().__init__(server, spider, key, serializer)
        self.processing = processing
        self._pop = server.register_script(POP)
        self._requeue = server.register_script(REQUEUE)

    def pop_raw(self) -> bytes | None:
        """Move the best request into the processing hash; return its encoded form."""
        return self._pop(keys=[self.key, self.processing])

    def pop(self, timeout: int = 0) -> Request | None:
        data = self.pop_raw()
        return self._decode_request(data) if data else None

    def hold(self, request: Request) -> bytes:
        """Put a request straight into the processing hash; return its encoded form."""
        data = self._encode_request(request)
        self.server.hset(self.processing, data, -request.priority)
        return data

    def ack(self, *encoded: bytes) -> None:
        """Forget finished requests."""
        if encoded:
            self.server.hdel(self.processing, *encoded)

    def requeue(self, *encoded: bytes) -> None:
        """Give requests of the processing hash back to the queue."""
        if encoded:
            self._requeue(keys=[self.key, self.processing], args=list(encoded))
