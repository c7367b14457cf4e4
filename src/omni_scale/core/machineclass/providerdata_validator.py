# mypy: ignore-errors
# Generated: SCHEMA of omni_scale.core.machineclass.providerdata_schema compiled by
# fastjsonschema 2.22.3 (validator_source). Do not edit; regenerate with
#   OMNI_SCALE_REGENERATE=1 uv run pytest \
#     tests/core/machineclass/test_providerdata_schema_compiled.py
VERSION = "2.22.3"
from decimal import Decimal
import re
class JsonSchemaValueException(ValueError):
    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)
        self.value, self.name = value, name
        self.definition, self.rule = definition, rule


JsonSchemaValuesException = JsonSchemaValueException



REGEX_PATTERNS = {
    '^[A-Za-z0-9][A-Za-z0-9_-]*$': re.compile('^[A-Za-z0-9][A-Za-z0-9_-]*\\Z'),
    '^[A-Za-z0-9][A-Za-z0-9-]*$': re.compile('^[A-Za-z0-9][A-Za-z0-9-]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'cores': {'type': 'integer', 'minimum': 1}, 'sockets': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'node': {'type': 'string'}, 'placement_strategy': {'type': 'string', 'enum': ['spread', 'fewer-vms', 'round-robin', 'binpack']}, 'memory': {'type': 'integer', 'minimum': 2048}, 'disk_size': {'type': 'integer', 'minimum': 5}, 'network_bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'network_firewall': {'type': 'boolean'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, 'cpu_type': {'type': 'string'}, 'machine_type': {'type': 'string', 'enum': ['q35', 'i440fx']}, 'bios': {'type': 'string', 'enum': ['seabios', 'ovmf']}, 'vga': {'type': 'string'}, 'numa': {'type': 'boolean'}, 'hugepages': {'type': 'string', 'enum': ['2MB', '1GB']}, 'balloon': {'type': 'boolean'}, 'pool': {'type': 'string'}, 'tags': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, 'ha': {'type': 'object', 'properties': {'state': {'type': 'string', 'enum': ['started', 'stopped', 'disabled', 'ignored']}, 'comment': {'type': 'string', 'maxLength': 4096}, 'max_restart': {'type': 'integer', 'minimum': 0}, 'max_relocate': {'type': 'integer', 'minimum': 0}, 'failback': {'type': 'boolean'}, 'rules': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}}, 'node_affinity_nodes': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}}, 'node_affinity_strict': {'type': 'boolean'}, 'resource_affinity': {'type': 'string', 'enum': ['negative', 'positive']}}}, 'additional_nics': {'type': 'array', 'items': {'type': 'object', 'properties': {'bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'firewall': {'type': 'boolean'}}, 'required': ['bridge']}}, 'usb_devices': {'type': 'array', 'maxItems': 15, 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}}, 'pci_devices': {'type': 'array', 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string'}, 'mdev': {'type': 'string'}, 'pcie': {'type': 'boolean'}, 'primary_gpu': {'type': 'boolean'}, 'rombar': {'type': 'boolean'}}, 'required': ['mapping']}}, 'additional_disks': {'type': 'array', 'items': {'type': 'object', 'properties': {'disk_size': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}}, 'required': ['disk_size', 'storage_selector']}}}, 'required': ['cores', 'memory', 'disk_size', 'storage_selector']}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['cores', 'memory', 'disk_size', 'storage_selector']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'cores': {'type': 'integer', 'minimum': 1}, 'sockets': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'node': {'type': 'string'}, 'placement_strategy': {'type': 'string', 'enum': ['spread', 'fewer-vms', 'round-robin', 'binpack']}, 'memory': {'type': 'integer', 'minimum': 2048}, 'disk_size': {'type': 'integer', 'minimum': 5}, 'network_bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'network_firewall': {'type': 'boolean'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, 'cpu_type': {'type': 'string'}, 'machine_type': {'type': 'string', 'enum': ['q35', 'i440fx']}, 'bios': {'type': 'string', 'enum': ['seabios', 'ovmf']}, 'vga': {'type': 'string'}, 'numa': {'type': 'boolean'}, 'hugepages': {'type': 'string', 'enum': ['2MB', '1GB']}, 'balloon': {'type': 'boolean'}, 'pool': {'type': 'string'}, 'tags': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, 'ha': {'type': 'object', 'properties': {'state': {'type': 'string', 'enum': ['started', 'stopped', 'disabled', 'ignored']}, 'comment': {'type': 'string', 'maxLength': 4096}, 'max_restart': {'type': 'integer', 'minimum': 0}, 'max_relocate': {'type': 'integer', 'minimum': 0}, 'failback': {'type': 'boolean'}, 'rules': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}}, 'node_affinity_nodes': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}}, 'node_affinity_strict': {'type': 'boolean'}, 'resource_affinity': {'type': 'string', 'enum': ['negative', 'positive']}}}, 'additional_nics': {'type': 'array', 'items': {'type': 'object', 'properties': {'bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'firewall': {'type': 'boolean'}}, 'required': ['bridge']}}, 'usb_devices': {'type': 'array', 'maxItems': 15, 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}}, 'pci_devices': {'type': 'array', 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string'}, 'mdev': {'type': 'string'}, 'pcie': {'type': 'boolean'}, 'primary_gpu': {'type': 'boolean'}, 'rombar': {'type': 'boolean'}}, 'required': ['mapping']}}, 'additional_disks': {'type': 'array', 'items': {'type': 'object', 'properties': {'disk_size': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}}, 'required': ['disk_size', 'storage_selector']}}}, 'required': ['cores', 'memory', 'disk_size', 'storage_selector']}, rule='required')
        data_keys = set(data.keys())
        if "cores" in data_keys:
            data_keys.remove("cores")
            data__cores = data["cores"]
            if not isinstance(data__cores, (int)) and not (isinstance(data__cores, float) and data__cores.is_integer()) or isinstance(data__cores, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".cores must be integer", value=data__cores, name="" + (name_prefix or "data") + ".cores", definition={'type': 'integer', 'minimum': 1}, rule='type')
            if isinstance(data__cores, (int, float, Decimal)) and not isinstance(data__cores, bool):
                if data__cores < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".cores must be bigger than or equal to 1", value=data__cores, name="" + (name_prefix or "data") + ".cores", definition={'type': 'integer', 'minimum': 1}, rule='minimum')
        if "sockets" in data_keys:
            data_keys.remove("sockets")
            data__sockets = data["sockets"]
            if not isinstance(data__sockets, (int)) and not (isinstance(data__sockets, float) and data__sockets.is_integer()) or isinstance(data__sockets, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sockets must be integer", value=data__sockets, name="" + (name_prefix or "data") + ".sockets", definition={'type': 'integer', 'minimum': 1}, rule='type')
            if isinstance(data__sockets, (int, float, Decimal)) and not isinstance(data__sockets, bool):
                if data__sockets < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sockets must be bigger than or equal to 1", value=data__sockets, name="" + (name_prefix or "data") + ".sockets", definition={'type': 'integer', 'minimum': 1}, rule='minimum')
        if "storage_selector" in data_keys:
            data_keys.remove("storage_selector")
            data__storageselector = data["storage_selector"]
            if not isinstance(data__storageselector, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".storage_selector must be string", value=data__storageselector, name="" + (name_prefix or "data") + ".storage_selector", definition={'type': 'string'}, rule='type')
        if "node" in data_keys:
            data_keys.remove("node")
            data__node = data["node"]
            if not isinstance(data__node, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".node must be string", value=data__node, name="" + (name_prefix or "data") + ".node", definition={'type': 'string'}, rule='type')
        if "placement_strategy" in data_keys:
            data_keys.remove("placement_strategy")
            data__placementstrategy = data["placement_strategy"]
            if not isinstance(data__placementstrategy, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".placement_strategy must be string", value=data__placementstrategy, name="" + (name_prefix or "data") + ".placement_strategy", definition={'type': 'string', 'enum': ['spread', 'fewer-vms', 'round-robin', 'binpack']}, rule='type')
            if not (isinstance(data__placementstrategy, str) and data__placementstrategy == 'spread' or isinstance(data__placementstrategy, str) and data__placementstrategy == 'fewer-vms' or isinstance(data__placementstrategy, str) and data__placementstrategy == 'round-robin' or isinstance(data__placementstrategy, str) and data__placementstrategy == 'binpack'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".placement_strategy must be one of ['spread', 'fewer-vms', 'round-robin', 'binpack']", value=data__placementstrategy, name="" + (name_prefix or "data") + ".placement_strategy", definition={'type': 'string', 'enum': ['spread', 'fewer-vms', 'round-robin', 'binpack']}, rule='enum')
        if "memory" in data_keys:
            data_keys.remove("memory")
            data__memory = data["memory"]
            if not isinstance(data__memory, (int)) and not (isinstance(data__memory, float) and data__memory.is_integer()) or isinstance(data__memory, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".memory must be integer", value=data__memory, name="" + (name_prefix or "data") + ".memory", definition={'type': 'integer', 'minimum': 2048}, rule='type')
            if isinstance(data__memory, (int, float, Decimal)) and not isinstance(data__memory, bool):
                if data__memory < 2048:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".memory must be bigger than or equal to 2048", value=data__memory, name="" + (name_prefix or "data") + ".memory", definition={'type': 'integer', 'minimum': 2048}, rule='minimum')
        if "disk_size" in data_keys:
            data_keys.remove("disk_size")
            data__disksize = data["disk_size"]
            if not isinstance(data__disksize, (int)) and not (isinstance(data__disksize, float) and data__disksize.is_integer()) or isinstance(data__disksize, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_size must be integer", value=data__disksize, name="" + (name_prefix or "data") + ".disk_size", definition={'type': 'integer', 'minimum': 5}, rule='type')
            if isinstance(data__disksize, (int, float, Decimal)) and not isinstance(data__disksize, bool):
                if data__disksize < 5:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_size must be bigger than or equal to 5", value=data__disksize, name="" + (name_prefix or "data") + ".disk_size", definition={'type': 'integer', 'minimum': 5}, rule='minimum')
        if "network_bridge" in data_keys:
            data_keys.remove("network_bridge")
            data__networkbridge = data["network_bridge"]
            if not isinstance(data__networkbridge, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".network_bridge must be string", value=data__networkbridge, name="" + (name_prefix or "data") + ".network_bridge", definition={'type': 'string'}, rule='type')
        if "vlan" in data_keys:
            data_keys.remove("vlan")
            data__vlan = data["vlan"]
            if not isinstance(data__vlan, (int)) and not (isinstance(data__vlan, float) and data__vlan.is_integer()) or isinstance(data__vlan, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".vlan must be integer", value=data__vlan, name="" + (name_prefix or "data") + ".vlan", definition={'type': 'integer', 'minimum': 0}, rule='type')
            if isinstance(data__vlan, (int, float, Decimal)) and not isinstance(data__vlan, bool):
                if data__vlan < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".vlan must be bigger than or equal to 0", value=data__vlan, name="" + (name_prefix or "data") + ".vlan", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
        if "network_firewall" in data_keys:
            data_keys.remove("network_firewall")
            data__networkfirewall = data["network_firewall"]
            if not isinstance(data__networkfirewall, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".network_firewall must be boolean", value=data__networkfirewall, name="" + (name_prefix or "data") + ".network_firewall", definition={'type': 'boolean'}, rule='type')
        if "disk_ssd" in data_keys:
            data_keys.remove("disk_ssd")
            data__diskssd = data["disk_ssd"]
            if not isinstance(data__diskssd, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_ssd must be boolean", value=data__diskssd, name="" + (name_prefix or "data") + ".disk_ssd", definition={'type': 'boolean'}, rule='type')
        if "disk_discard" in data_keys:
            data_keys.remove("disk_discard")
            data__diskdiscard = data["disk_discard"]
            if not isinstance(data__diskdiscard, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_discard must be boolean", value=data__diskdiscard, name="" + (name_prefix or "data") + ".disk_discard", definition={'type': 'boolean'}, rule='type')
        if "disk_iothread" in data_keys:
            data_keys.remove("disk_iothread")
            data__diskiothread = data["disk_iothread"]
            if not isinstance(data__diskiothread, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_iothread must be boolean", value=data__diskiothread, name="" + (name_prefix or "data") + ".disk_iothread", definition={'type': 'boolean'}, rule='type')
        if "disk_cache" in data_keys:
            data_keys.remove("disk_cache")
            data__diskcache = data["disk_cache"]
            if not isinstance(data__diskcache, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_cache must be string", value=data__diskcache, name="" + (name_prefix or "data") + ".disk_cache", definition={'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, rule='type')
            if not (isinstance(data__diskcache, str) and data__diskcache == 'none' or isinstance(data__diskcache, str) and data__diskcache == 'writethrough' or isinstance(data__diskcache, str) and data__diskcache == 'writeback' or isinstance(data__diskcache, str) and data__diskcache == 'directsync' or isinstance(data__diskcache, str) and data__diskcache == 'unsafe'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_cache must be one of ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']", value=data__diskcache, name="" + (name_prefix or "data") + ".disk_cache", definition={'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, rule='enum')
        if "disk_aio" in data_keys:
            data_keys.remove("disk_aio")
            data__diskaio = data["disk_aio"]
            if not isinstance(data__diskaio, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_aio must be string", value=data__diskaio, name="" + (name_prefix or "data") + ".disk_aio", definition={'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, rule='type')
            if not (isinstance(data__diskaio, str) and data__diskaio == 'native' or isinstance(data__diskaio, str) and data__diskaio == 'threads' or isinstance(data__diskaio, str) and data__diskaio == 'io_uring'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".disk_aio must be one of ['native', 'threads', 'io_uring']", value=data__diskaio, name="" + (name_prefix or "data") + ".disk_aio", definition={'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, rule='enum')
        if "cpu_type" in data_keys:
            data_keys.remove("cpu_type")
            data__cputype = data["cpu_type"]
            if not isinstance(data__cputype, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".cpu_type must be string", value=data__cputype, name="" + (name_prefix or "data") + ".cpu_type", definition={'type': 'string'}, rule='type')
        if "machine_type" in data_keys:
            data_keys.remove("machine_type")
            data__machinetype = data["machine_type"]
            if not isinstance(data__machinetype, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".machine_type must be string", value=data__machinetype, name="" + (name_prefix or "data") + ".machine_type", definition={'type': 'string', 'enum': ['q35', 'i440fx']}, rule='type')
            if not (isinstance(data__machinetype, str) and data__machinetype == 'q35' or isinstance(data__machinetype, str) and data__machinetype == 'i440fx'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".machine_type must be one of ['q35', 'i440fx']", value=data__machinetype, name="" + (name_prefix or "data") + ".machine_type", definition={'type': 'string', 'enum': ['q35', 'i440fx']}, rule='enum')
        if "bios" in data_keys:
            data_keys.remove("bios")
            data__bios = data["bios"]
            if not isinstance(data__bios, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bios must be string", value=data__bios, name="" + (name_prefix or "data") + ".bios", definition={'type': 'string', 'enum': ['seabios', 'ovmf']}, rule='type')
            if not (isinstance(data__bios, str) and data__bios == 'seabios' or isinstance(data__bios, str) and data__bios == 'ovmf'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bios must be one of ['seabios', 'ovmf']", value=data__bios, name="" + (name_prefix or "data") + ".bios", definition={'type': 'string', 'enum': ['seabios', 'ovmf']}, rule='enum')
        if "vga" in data_keys:
            data_keys.remove("vga")
            data__vga = data["vga"]
            if not isinstance(data__vga, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".vga must be string", value=data__vga, name="" + (name_prefix or "data") + ".vga", definition={'type': 'string'}, rule='type')
        if "numa" in data_keys:
            data_keys.remove("numa")
            data__numa = data["numa"]
            if not isinstance(data__numa, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".numa must be boolean", value=data__numa, name="" + (name_prefix or "data") + ".numa", definition={'type': 'boolean'}, rule='type')
        if "hugepages" in data_keys:
            data_keys.remove("hugepages")
            data__hugepages = data["hugepages"]
            if not isinstance(data__hugepages, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hugepages must be string", value=data__hugepages, name="" + (name_prefix or "data") + ".hugepages", definition={'type': 'string', 'enum': ['2MB', '1GB']}, rule='type')
            if not (isinstance(data__hugepages, str) and data__hugepages == '2MB' or isinstance(data__hugepages, str) and data__hugepages == '1GB'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".hugepages must be one of ['2MB', '1GB']", value=data__hugepages, name="" + (name_prefix or "data") + ".hugepages", definition={'type': 'string', 'enum': ['2MB', '1GB']}, rule='enum')
        if "balloon" in data_keys:
            data_keys.remove("balloon")
            data__balloon = data["balloon"]
            if not isinstance(data__balloon, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".balloon must be boolean", value=data__balloon, name="" + (name_prefix or "data") + ".balloon", definition={'type': 'boolean'}, rule='type')
        if "pool" in data_keys:
            data_keys.remove("pool")
            data__pool = data["pool"]
            if not isinstance(data__pool, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pool must be string", value=data__pool, name="" + (name_prefix or "data") + ".pool", definition={'type': 'string'}, rule='type')
        if "tags" in data_keys:
            data_keys.remove("tags")
            data__tags = data["tags"]
            if not isinstance(data__tags, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags must be array", value=data__tags, name="" + (name_prefix or "data") + ".tags", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}}, rule='type')
            data__tags_is_list = isinstance(data__tags, (list, tuple))
            if data__tags_is_list:
                data__tags_len = len(data__tags)
                for data__tags_x, data__tags_item in enumerate(data__tags):
                    if not isinstance(data__tags_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()) + " must be string", value=data__tags_item, name="" + (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__tags_item, str):
                        data__tags_item_len = len(data__tags_item)
                        if data__tags_item_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__tags_item, name="" + (name_prefix or "data") + ".tags[{data__tags_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "ha" in data_keys:
            data_keys.remove("ha")
            data__ha = data["ha"]
            if not isinstance(data__ha, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha must be object", value=data__ha, name="" + (name_prefix or "data") + ".ha", definition={'type': 'object', 'properties': {'state': {'type': 'string', 'enum': ['started', 'stopped', 'disabled', 'ignored']}, 'comment': {'type': 'string', 'maxLength': 4096}, 'max_restart': {'type': 'integer', 'minimum': 0}, 'max_relocate': {'type': 'integer', 'minimum': 0}, 'failback': {'type': 'boolean'}, 'rules': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}}, 'node_affinity_nodes': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}}, 'node_affinity_strict': {'type': 'boolean'}, 'resource_affinity': {'type': 'string', 'enum': ['negative', 'positive']}}}, rule='type')
            data__ha_is_dict = isinstance(data__ha, dict)
            if data__ha_is_dict:
                data__ha_keys = set(data__ha.keys())
                if "state" in data__ha_keys:
                    data__ha_keys.remove("state")
                    data__ha__state = data__ha["state"]
                    if not isinstance(data__ha__state, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.state must be string", value=data__ha__state, name="" + (name_prefix or "data") + ".ha.state", definition={'type': 'string', 'enum': ['started', 'stopped', 'disabled', 'ignored']}, rule='type')
                    if not (isinstance(data__ha__state, str) and data__ha__state == 'started' or isinstance(data__ha__state, str) and data__ha__state == 'stopped' or isinstance(data__ha__state, str) and data__ha__state == 'disabled' or isinstance(data__ha__state, str) and data__ha__state == 'ignored'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.state must be one of ['started', 'stopped', 'disabled', 'ignored']", value=data__ha__state, name="" + (name_prefix or "data") + ".ha.state", definition={'type': 'string', 'enum': ['started', 'stopped', 'disabled', 'ignored']}, rule='enum')
                if "comment" in data__ha_keys:
                    data__ha_keys.remove("comment")
                    data__ha__comment = data__ha["comment"]
                    if not isinstance(data__ha__comment, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.comment must be string", value=data__ha__comment, name="" + (name_prefix or "data") + ".ha.comment", definition={'type': 'string', 'maxLength': 4096}, rule='type')
                    if isinstance(data__ha__comment, str):
                        data__ha__comment_len = len(data__ha__comment)
                        if data__ha__comment_len > 4096:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.comment must be shorter than or equal to 4096 characters", value=data__ha__comment, name="" + (name_prefix or "data") + ".ha.comment", definition={'type': 'string', 'maxLength': 4096}, rule='maxLength')
                if "max_restart" in data__ha_keys:
                    data__ha_keys.remove("max_restart")
                    data__ha__maxrestart = data__ha["max_restart"]
                    if not isinstance(data__ha__maxrestart, (int)) and not (isinstance(data__ha__maxrestart, float) and data__ha__maxrestart.is_integer()) or isinstance(data__ha__maxrestart, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.max_restart must be integer", value=data__ha__maxrestart, name="" + (name_prefix or "data") + ".ha.max_restart", definition={'type': 'integer', 'minimum': 0}, rule='type')
                    if isinstance(data__ha__maxrestart, (int, float, Decimal)) and not isinstance(data__ha__maxrestart, bool):
                        if data__ha__maxrestart < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.max_restart must be bigger than or equal to 0", value=data__ha__maxrestart, name="" + (name_prefix or "data") + ".ha.max_restart", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                if "max_relocate" in data__ha_keys:
                    data__ha_keys.remove("max_relocate")
                    data__ha__maxrelocate = data__ha["max_relocate"]
                    if not isinstance(data__ha__maxrelocate, (int)) and not (isinstance(data__ha__maxrelocate, float) and data__ha__maxrelocate.is_integer()) or isinstance(data__ha__maxrelocate, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.max_relocate must be integer", value=data__ha__maxrelocate, name="" + (name_prefix or "data") + ".ha.max_relocate", definition={'type': 'integer', 'minimum': 0}, rule='type')
                    if isinstance(data__ha__maxrelocate, (int, float, Decimal)) and not isinstance(data__ha__maxrelocate, bool):
                        if data__ha__maxrelocate < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.max_relocate must be bigger than or equal to 0", value=data__ha__maxrelocate, name="" + (name_prefix or "data") + ".ha.max_relocate", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                if "failback" in data__ha_keys:
                    data__ha_keys.remove("failback")
                    data__ha__failback = data__ha["failback"]
                    if not isinstance(data__ha__failback, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.failback must be boolean", value=data__ha__failback, name="" + (name_prefix or "data") + ".ha.failback", definition={'type': 'boolean'}, rule='type')
                if "rules" in data__ha_keys:
                    data__ha_keys.remove("rules")
                    data__ha__rules = data__ha["rules"]
                    if not isinstance(data__ha__rules, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.rules must be array", value=data__ha__rules, name="" + (name_prefix or "data") + ".ha.rules", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}}, rule='type')
                    data__ha__rules_is_list = isinstance(data__ha__rules, (list, tuple))
                    if data__ha__rules_is_list:
                        data__ha__rules_len = len(data__ha__rules)
                        for data__ha__rules_x, data__ha__rules_item in enumerate(data__ha__rules):
                            if not isinstance(data__ha__rules_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + " must be string", value=data__ha__rules_item, name="" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}, rule='type')
                            if isinstance(data__ha__rules_item, str):
                                data__ha__rules_item_len = len(data__ha__rules_item)
                                if data__ha__rules_item_len > 64:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + " must be shorter than or equal to 64 characters", value=data__ha__rules_item, name="" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}, rule='maxLength')
                                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9_-]*$'].search(data__ha__rules_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + " must match pattern ^[A-Za-z0-9][A-Za-z0-9_-]*$", value=data__ha__rules_item, name="" + (name_prefix or "data") + ".ha.rules[{data__ha__rules_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_-]*$', 'maxLength': 64}, rule='pattern')
                if "node_affinity_nodes" in data__ha_keys:
                    data__ha_keys.remove("node_affinity_nodes")
                    data__ha__nodeaffinitynodes = data__ha["node_affinity_nodes"]
                    if not isinstance(data__ha__nodeaffinitynodes, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.node_affinity_nodes must be array", value=data__ha__nodeaffinitynodes, name="" + (name_prefix or "data") + ".ha.node_affinity_nodes", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}}, rule='type')
                    data__ha__nodeaffinitynodes_is_list = isinstance(data__ha__nodeaffinitynodes, (list, tuple))
                    if data__ha__nodeaffinitynodes_is_list:
                        data__ha__nodeaffinitynodes_len = len(data__ha__nodeaffinitynodes)
                        for data__ha__nodeaffinitynodes_x, data__ha__nodeaffinitynodes_item in enumerate(data__ha__nodeaffinitynodes):
                            if not isinstance(data__ha__nodeaffinitynodes_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + " must be string", value=data__ha__nodeaffinitynodes_item, name="" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}, rule='type')
                            if isinstance(data__ha__nodeaffinitynodes_item, str):
                                data__ha__nodeaffinitynodes_item_len = len(data__ha__nodeaffinitynodes_item)
                                if data__ha__nodeaffinitynodes_item_len > 63:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + " must be shorter than or equal to 63 characters", value=data__ha__nodeaffinitynodes_item, name="" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}, rule='maxLength')
                                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9-]*$'].search(data__ha__nodeaffinitynodes_item):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + " must match pattern ^[A-Za-z0-9][A-Za-z0-9-]*$", value=data__ha__nodeaffinitynodes_item, name="" + (name_prefix or "data") + ".ha.node_affinity_nodes[{data__ha__nodeaffinitynodes_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9-]*$', 'maxLength': 63}, rule='pattern')
                if "node_affinity_strict" in data__ha_keys:
                    data__ha_keys.remove("node_affinity_strict")
                    data__ha__nodeaffinitystrict = data__ha["node_affinity_strict"]
                    if not isinstance(data__ha__nodeaffinitystrict, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.node_affinity_strict must be boolean", value=data__ha__nodeaffinitystrict, name="" + (name_prefix or "data") + ".ha.node_affinity_strict", definition={'type': 'boolean'}, rule='type')
                if "resource_affinity" in data__ha_keys:
                    data__ha_keys.remove("resource_affinity")
                    data__ha__resourceaffinity = data__ha["resource_affinity"]
                    if not isinstance(data__ha__resourceaffinity, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.resource_affinity must be string", value=data__ha__resourceaffinity, name="" + (name_prefix or "data") + ".ha.resource_affinity", definition={'type': 'string', 'enum': ['negative', 'positive']}, rule='type')
                    if not (isinstance(data__ha__resourceaffinity, str) and data__ha__resourceaffinity == 'negative' or isinstance(data__ha__resourceaffinity, str) and data__ha__resourceaffinity == 'positive'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".ha.resource_affinity must be one of ['negative', 'positive']", value=data__ha__resourceaffinity, name="" + (name_prefix or "data") + ".ha.resource_affinity", definition={'type': 'string', 'enum': ['negative', 'positive']}, rule='enum')
        if "additional_nics" in data_keys:
            data_keys.remove("additional_nics")
            data__additionalnics = data["additional_nics"]
            if not isinstance(data__additionalnics, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics must be array", value=data__additionalnics, name="" + (name_prefix or "data") + ".additional_nics", definition={'type': 'array', 'items': {'type': 'object', 'properties': {'bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'firewall': {'type': 'boolean'}}, 'required': ['bridge']}}, rule='type')
            data__additionalnics_is_list = isinstance(data__additionalnics, (list, tuple))
            if data__additionalnics_is_list:
                data__additionalnics_len = len(data__additionalnics)
                for data__additionalnics_x, data__additionalnics_item in enumerate(data__additionalnics):
                    if not isinstance(data__additionalnics_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}]".format(**locals()) + " must be object", value=data__additionalnics_item, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'firewall': {'type': 'boolean'}}, 'required': ['bridge']}, rule='type')
                    data__additionalnics_item_is_dict = isinstance(data__additionalnics_item, dict)
                    if data__additionalnics_item_is_dict:
                        data__additionalnics_item__missing_keys = set(['bridge']) - data__additionalnics_item.keys()
                        if data__additionalnics_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}]".format(**locals()) + " must contain " + (str(sorted(data__additionalnics_item__missing_keys)) + " properties"), value=data__additionalnics_item, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'bridge': {'type': 'string'}, 'vlan': {'type': 'integer', 'minimum': 0}, 'firewall': {'type': 'boolean'}}, 'required': ['bridge']}, rule='required')
                        data__additionalnics_item_keys = set(data__additionalnics_item.keys())
                        if "bridge" in data__additionalnics_item_keys:
                            data__additionalnics_item_keys.remove("bridge")
                            data__additionalnics_item__bridge = data__additionalnics_item["bridge"]
                            if not isinstance(data__additionalnics_item__bridge, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].bridge".format(**locals()) + " must be string", value=data__additionalnics_item__bridge, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].bridge".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                        if "vlan" in data__additionalnics_item_keys:
                            data__additionalnics_item_keys.remove("vlan")
                            data__additionalnics_item__vlan = data__additionalnics_item["vlan"]
                            if not isinstance(data__additionalnics_item__vlan, (int)) and not (isinstance(data__additionalnics_item__vlan, float) and data__additionalnics_item__vlan.is_integer()) or isinstance(data__additionalnics_item__vlan, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].vlan".format(**locals()) + " must be integer", value=data__additionalnics_item__vlan, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].vlan".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='type')
                            if isinstance(data__additionalnics_item__vlan, (int, float, Decimal)) and not isinstance(data__additionalnics_item__vlan, bool):
                                if data__additionalnics_item__vlan < 0:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].vlan".format(**locals()) + " must be bigger than or equal to 0", value=data__additionalnics_item__vlan, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].vlan".format(**locals()) + "", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                        if "firewall" in data__additionalnics_item_keys:
                            data__additionalnics_item_keys.remove("firewall")
                            data__additionalnics_item__firewall = data__additionalnics_item["firewall"]
                            if not isinstance(data__additionalnics_item__firewall, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].firewall".format(**locals()) + " must be boolean", value=data__additionalnics_item__firewall, name="" + (name_prefix or "data") + ".additional_nics[{data__additionalnics_x}].firewall".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
        if "usb_devices" in data_keys:
            data_keys.remove("usb_devices")
            data__usbdevices = data["usb_devices"]
            if not isinstance(data__usbdevices, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices must be array", value=data__usbdevices, name="" + (name_prefix or "data") + ".usb_devices", definition={'type': 'array', 'maxItems': 15, 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}}, rule='type')
            data__usbdevices_is_list = isinstance(data__usbdevices, (list, tuple))
            if data__usbdevices_is_list:
                data__usbdevices_len = len(data__usbdevices)
                if data__usbdevices_len > 15:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices must contain less than or equal to 15 items", value=data__usbdevices, name="" + (name_prefix or "data") + ".usb_devices", definition={'type': 'array', 'maxItems': 15, 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}}, rule='maxItems')
                for data__usbdevices_x, data__usbdevices_item in enumerate(data__usbdevices):
                    if not isinstance(data__usbdevices_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}]".format(**locals()) + " must be object", value=data__usbdevices_item, name="" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}, rule='type')
                    data__usbdevices_item_is_dict = isinstance(data__usbdevices_item, dict)
                    if data__usbdevices_item_is_dict:
                        data__usbdevices_item__missing_keys = set(['mapping']) - data__usbdevices_item.keys()
                        if data__usbdevices_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}]".format(**locals()) + " must contain " + (str(sorted(data__usbdevices_item__missing_keys)) + " properties"), value=data__usbdevices_item, name="" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'mapping': {'type': 'string', 'minLength': 1}, 'usb3': {'type': 'boolean'}}, 'required': ['mapping']}, rule='required')
                        data__usbdevices_item_keys = set(data__usbdevices_item.keys())
                        if "mapping" in data__usbdevices_item_keys:
                            data__usbdevices_item_keys.remove("mapping")
                            data__usbdevices_item__mapping = data__usbdevices_item["mapping"]
                            if not isinstance(data__usbdevices_item__mapping, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].mapping".format(**locals()) + " must be string", value=data__usbdevices_item__mapping, name="" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].mapping".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                            if isinstance(data__usbdevices_item__mapping, str):
                                data__usbdevices_item__mapping_len = len(data__usbdevices_item__mapping)
                                if data__usbdevices_item__mapping_len < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].mapping".format(**locals()) + " must be longer than or equal to 1 characters", value=data__usbdevices_item__mapping, name="" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].mapping".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                        if "usb3" in data__usbdevices_item_keys:
                            data__usbdevices_item_keys.remove("usb3")
                            data__usbdevices_item__usb3 = data__usbdevices_item["usb3"]
                            if not isinstance(data__usbdevices_item__usb3, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].usb3".format(**locals()) + " must be boolean", value=data__usbdevices_item__usb3, name="" + (name_prefix or "data") + ".usb_devices[{data__usbdevices_x}].usb3".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
        if "pci_devices" in data_keys:
            data_keys.remove("pci_devices")
            data__pcidevices = data["pci_devices"]
            if not isinstance(data__pcidevices, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices must be array", value=data__pcidevices, name="" + (name_prefix or "data") + ".pci_devices", definition={'type': 'array', 'items': {'type': 'object', 'properties': {'mapping': {'type': 'string'}, 'mdev': {'type': 'string'}, 'pcie': {'type': 'boolean'}, 'primary_gpu': {'type': 'boolean'}, 'rombar': {'type': 'boolean'}}, 'required': ['mapping']}}, rule='type')
            data__pcidevices_is_list = isinstance(data__pcidevices, (list, tuple))
            if data__pcidevices_is_list:
                data__pcidevices_len = len(data__pcidevices)
                for data__pcidevices_x, data__pcidevices_item in enumerate(data__pcidevices):
                    if not isinstance(data__pcidevices_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}]".format(**locals()) + " must be object", value=data__pcidevices_item, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'mapping': {'type': 'string'}, 'mdev': {'type': 'string'}, 'pcie': {'type': 'boolean'}, 'primary_gpu': {'type': 'boolean'}, 'rombar': {'type': 'boolean'}}, 'required': ['mapping']}, rule='type')
                    data__pcidevices_item_is_dict = isinstance(data__pcidevices_item, dict)
                    if data__pcidevices_item_is_dict:
                        data__pcidevices_item__missing_keys = set(['mapping']) - data__pcidevices_item.keys()
                        if data__pcidevices_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}]".format(**locals()) + " must contain " + (str(sorted(data__pcidevices_item__missing_keys)) + " properties"), value=data__pcidevices_item, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'mapping': {'type': 'string'}, 'mdev': {'type': 'string'}, 'pcie': {'type': 'boolean'}, 'primary_gpu': {'type': 'boolean'}, 'rombar': {'type': 'boolean'}}, 'required': ['mapping']}, rule='required')
                        data__pcidevices_item_keys = set(data__pcidevices_item.keys())
                        if "mapping" in data__pcidevices_item_keys:
                            data__pcidevices_item_keys.remove("mapping")
                            data__pcidevices_item__mapping = data__pcidevices_item["mapping"]
                            if not isinstance(data__pcidevices_item__mapping, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].mapping".format(**locals()) + " must be string", value=data__pcidevices_item__mapping, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].mapping".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                        if "mdev" in data__pcidevices_item_keys:
                            data__pcidevices_item_keys.remove("mdev")
                            data__pcidevices_item__mdev = data__pcidevices_item["mdev"]
                            if not isinstance(data__pcidevices_item__mdev, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].mdev".format(**locals()) + " must be string", value=data__pcidevices_item__mdev, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].mdev".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                        if "pcie" in data__pcidevices_item_keys:
                            data__pcidevices_item_keys.remove("pcie")
                            data__pcidevices_item__pcie = data__pcidevices_item["pcie"]
                            if not isinstance(data__pcidevices_item__pcie, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].pcie".format(**locals()) + " must be boolean", value=data__pcidevices_item__pcie, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].pcie".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                        if "primary_gpu" in data__pcidevices_item_keys:
                            data__pcidevices_item_keys.remove("primary_gpu")
                            data__pcidevices_item__primarygpu = data__pcidevices_item["primary_gpu"]
                            if not isinstance(data__pcidevices_item__primarygpu, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].primary_gpu".format(**locals()) + " must be boolean", value=data__pcidevices_item__primarygpu, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].primary_gpu".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                        if "rombar" in data__pcidevices_item_keys:
                            data__pcidevices_item_keys.remove("rombar")
                            data__pcidevices_item__rombar = data__pcidevices_item["rombar"]
                            if not isinstance(data__pcidevices_item__rombar, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].rombar".format(**locals()) + " must be boolean", value=data__pcidevices_item__rombar, name="" + (name_prefix or "data") + ".pci_devices[{data__pcidevices_x}].rombar".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
        if "additional_disks" in data_keys:
            data_keys.remove("additional_disks")
            data__additionaldisks = data["additional_disks"]
            if not isinstance(data__additionaldisks, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks must be array", value=data__additionaldisks, name="" + (name_prefix or "data") + ".additional_disks", definition={'type': 'array', 'items': {'type': 'object', 'properties': {'disk_size': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}}, 'required': ['disk_size', 'storage_selector']}}, rule='type')
            data__additionaldisks_is_list = isinstance(data__additionaldisks, (list, tuple))
            if data__additionaldisks_is_list:
                data__additionaldisks_len = len(data__additionaldisks)
                for data__additionaldisks_x, data__additionaldisks_item in enumerate(data__additionaldisks):
                    if not isinstance(data__additionaldisks_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}]".format(**locals()) + " must be object", value=data__additionaldisks_item, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'disk_size': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}}, 'required': ['disk_size', 'storage_selector']}, rule='type')
                    data__additionaldisks_item_is_dict = isinstance(data__additionaldisks_item, dict)
                    if data__additionaldisks_item_is_dict:
                        data__additionaldisks_item__missing_keys = set(['disk_size', 'storage_selector']) - data__additionaldisks_item.keys()
                        if data__additionaldisks_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}]".format(**locals()) + " must contain " + (str(sorted(data__additionaldisks_item__missing_keys)) + " properties"), value=data__additionaldisks_item, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}]".format(**locals()) + "", definition={'type': 'object', 'properties': {'disk_size': {'type': 'integer', 'minimum': 1}, 'storage_selector': {'type': 'string'}, 'disk_ssd': {'type': 'boolean'}, 'disk_discard': {'type': 'boolean'}, 'disk_iothread': {'type': 'boolean'}, 'disk_cache': {'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, 'disk_aio': {'type': 'string', 'enum': ['native', 'threads', 'io_uring']}}, 'required': ['disk_size', 'storage_selector']}, rule='required')
                        data__additionaldisks_item_keys = set(data__additionaldisks_item.keys())
                        if "disk_size" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_size")
                            data__additionaldisks_item__disksize = data__additionaldisks_item["disk_size"]
                            if not isinstance(data__additionaldisks_item__disksize, (int)) and not (isinstance(data__additionaldisks_item__disksize, float) and data__additionaldisks_item__disksize.is_integer()) or isinstance(data__additionaldisks_item__disksize, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_size".format(**locals()) + " must be integer", value=data__additionaldisks_item__disksize, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 1}, rule='type')
                            if isinstance(data__additionaldisks_item__disksize, (int, float, Decimal)) and not isinstance(data__additionaldisks_item__disksize, bool):
                                if data__additionaldisks_item__disksize < 1:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_size".format(**locals()) + " must be bigger than or equal to 1", value=data__additionaldisks_item__disksize, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_size".format(**locals()) + "", definition={'type': 'integer', 'minimum': 1}, rule='minimum')
                        if "storage_selector" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("storage_selector")
                            data__additionaldisks_item__storageselector = data__additionaldisks_item["storage_selector"]
                            if not isinstance(data__additionaldisks_item__storageselector, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].storage_selector".format(**locals()) + " must be string", value=data__additionaldisks_item__storageselector, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].storage_selector".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                        if "disk_ssd" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_ssd")
                            data__additionaldisks_item__diskssd = data__additionaldisks_item["disk_ssd"]
                            if not isinstance(data__additionaldisks_item__diskssd, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_ssd".format(**locals()) + " must be boolean", value=data__additionaldisks_item__diskssd, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_ssd".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                        if "disk_discard" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_discard")
                            data__additionaldisks_item__diskdiscard = data__additionaldisks_item["disk_discard"]
                            if not isinstance(data__additionaldisks_item__diskdiscard, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_discard".format(**locals()) + " must be boolean", value=data__additionaldisks_item__diskdiscard, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_discard".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                        if "disk_iothread" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_iothread")
                            data__additionaldisks_item__diskiothread = data__additionaldisks_item["disk_iothread"]
                            if not isinstance(data__additionaldisks_item__diskiothread, (bool)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_iothread".format(**locals()) + " must be boolean", value=data__additionaldisks_item__diskiothread, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_iothread".format(**locals()) + "", definition={'type': 'boolean'}, rule='type')
                        if "disk_cache" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_cache")
                            data__additionaldisks_item__diskcache = data__additionaldisks_item["disk_cache"]
                            if not isinstance(data__additionaldisks_item__diskcache, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_cache".format(**locals()) + " must be string", value=data__additionaldisks_item__diskcache, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_cache".format(**locals()) + "", definition={'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, rule='type')
                            if not (isinstance(data__additionaldisks_item__diskcache, str) and data__additionaldisks_item__diskcache == 'none' or isinstance(data__additionaldisks_item__diskcache, str) and data__additionaldisks_item__diskcache == 'writethrough' or isinstance(data__additionaldisks_item__diskcache, str) and data__additionaldisks_item__diskcache == 'writeback' or isinstance(data__additionaldisks_item__diskcache, str) and data__additionaldisks_item__diskcache == 'directsync' or isinstance(data__additionaldisks_item__diskcache, str) and data__additionaldisks_item__diskcache == 'unsafe'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_cache".format(**locals()) + " must be one of ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']", value=data__additionaldisks_item__diskcache, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_cache".format(**locals()) + "", definition={'type': 'string', 'enum': ['none', 'writethrough', 'writeback', 'directsync', 'unsafe']}, rule='enum')
                        if "disk_aio" in data__additionaldisks_item_keys:
                            data__additionaldisks_item_keys.remove("disk_aio")
                            data__additionaldisks_item__diskaio = data__additionaldisks_item["disk_aio"]
                            if not isinstance(data__additionaldisks_item__diskaio, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_aio".format(**locals()) + " must be string", value=data__additionaldisks_item__diskaio, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_aio".format(**locals()) + "", definition={'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, rule='type')
                            if not (isinstance(data__additionaldisks_item__diskaio, str) and data__additionaldisks_item__diskaio == 'native' or isinstance(data__additionaldisks_item__diskaio, str) and data__additionaldisks_item__diskaio == 'threads' or isinstance(data__additionaldisks_item__diskaio, str) and data__additionaldisks_item__diskaio == 'io_uring'):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_aio".format(**locals()) + " must be one of ['native', 'threads', 'io_uring']", value=data__additionaldisks_item__diskaio, name="" + (name_prefix or "data") + ".additional_disks[{data__additionaldisks_x}].disk_aio".format(**locals()) + "", definition={'type': 'string', 'enum': ['native', 'threads', 'io_uring']}, rule='enum')
    return data